package dev.mailkit.imap.internal.command;

/** COMPRESS mechanism (RFC 4978): {@code mechanism} upper case; DEFLATE is the one there is. */
public record CompressCommand(String tag, String mechanism) implements Command {
    @Override
    public String name() {
        return "COMPRESS";
    }
}
