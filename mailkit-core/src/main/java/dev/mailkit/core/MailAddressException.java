package dev.mailkit.core;

/**
 * Thrown when text is not a valid RFC 5321/6531 mailbox. The message names the address (with control characters
 * made visible) and what is wrong with it.
 */
public final class MailAddressException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that says what is wrong. */
    public MailAddressException(String message) {
        super(message);
    }
}
