package dev.mailkit.relay.internal;

/**
 * A connection to a remote server could not be used for delivery: the connection failed, the server refused to talk,
 * TLS or AUTH failed. The delivery goes on with the next address, or is deferred. Carries the remote reply if there
 * was one and an enhanced status code for the deferral.
 */
public final class SessionFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Reply reply;
    private final String status;

    public SessionFailure(String detail, Reply reply, String status, Throwable cause) {
        super(detail, cause);
        this.reply = reply;
        this.status = status;
    }

    /** The remote reply that caused it, or null. */
    public Reply reply() {
        return reply;
    }

    /** The enhanced status code (class 4). */
    public String status() {
        return status;
    }
}
