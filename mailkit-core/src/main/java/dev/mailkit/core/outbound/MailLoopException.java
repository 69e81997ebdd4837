package dev.mailkit.core.outbound;

/**
 * A message refused by the relay because it has passed through too many mail servers (more than 50
 * {@code Received:} header fields, Postfix's {@code hopcount_limit}): it is looping, and relaying it again would only
 * feed the loop. The SMTP server answers {@code 554 5.4.6} for its remote recipients.
 */
public final class MailLoopException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A refusal that says why (the number of hops). */
    public MailLoopException(String message) {
        super(message);
    }
}
