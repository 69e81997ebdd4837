package dev.mailkit.imap.internal.command;

/** LOGIN user password (RFC 3501 6.2.3). {@link #toString()} hides the password. */
public record LoginCommand(String tag, String user, String password) implements Command {
    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public String toString() {
        return "LoginCommand[tag=" + tag + ", user=" + user + ", password=***]";
    }
}
