package dev.mailkit.imap.internal.command;

/** COPY / UID COPY (RFC 3501 6.4.7) and MOVE / UID MOVE (RFC 6851) when {@code move}. */
public record CopyCommand(String tag, boolean uid, SequenceSet set, String mailbox, boolean move) implements Command {
    @Override
    public String name() {
        return (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
    }
}
