package dev.mailkit.imap.internal.command;

/** EXPUNGE (RFC 3501 6.4.3) or UID EXPUNGE set (RFC 4315) when {@code uids} is not null. */
public record ExpungeCommand(String tag, SequenceSet uids) implements Command {
    @Override
    public String name() {
        return uids == null ? "EXPUNGE" : "UID EXPUNGE";
    }
}
