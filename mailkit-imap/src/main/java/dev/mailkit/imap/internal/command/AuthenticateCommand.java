package dev.mailkit.imap.internal.command;

/**
 * AUTHENTICATE mechanism [initial-response] (RFC 3501 6.2.2, SASL-IR RFC 4959). The initial response is the
 * base64 text as sent, {@code ""} for {@code =} (empty), or null when absent. {@link #toString()} hides it.
 */
public record AuthenticateCommand(String tag, String mechanism, String initialResponse) implements Command {
    @Override
    public String name() {
        return "AUTHENTICATE";
    }

    @Override
    public String toString() {
        return "AuthenticateCommand[tag=" + tag + ", mechanism=" + mechanism
                + (initialResponse == null ? "" : ", initialResponse=***") + "]";
    }
}
