package dev.mailkit.web.internal.http;

/**
 * Ends a request with an error status and a plain-text message (Mailpit's API answers errors as text). The message
 * never repeats request bytes unescaped: callers pass fixed texts or values already checked.
 */
public final class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final boolean close;

    /** An error reply; the connection stays open. */
    public HttpException(int status, String message) {
        this(status, message, false);
    }

    /** An error reply, closing the connection after it when {@code close} (the request could not be read whole). */
    public HttpException(int status, String message, boolean close) {
        super(message, null, false, false);
        this.status = status;
        this.close = close;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Whether the connection must be closed after the reply. */
    public boolean closeConnection() {
        return close;
    }
}
