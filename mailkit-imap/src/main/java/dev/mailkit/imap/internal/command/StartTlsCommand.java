package dev.mailkit.imap.internal.command;

/** STARTTLS (RFC 3501 6.2.1). */
public record StartTlsCommand(String tag) implements Command {
    @Override
    public String name() {
        return "STARTTLS";
    }
}
