package dev.mailkit.acme;

/**
 * An attempt to obtain a certificate by ACME failed: the CA could not be reached, refused the account or the order,
 * found a challenge unanswered, or did not issue in time. The message is one line saying which step failed and why.
 */
public final class IssuanceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception with a one-line message and its cause. */
    public IssuanceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception with a one-line message. */
    public IssuanceException(String message) {
        super(message);
    }
}
