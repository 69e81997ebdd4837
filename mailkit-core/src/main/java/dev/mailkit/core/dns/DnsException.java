package dev.mailkit.core.dns;

import java.io.IOException;

/**
 * A temporary DNS failure: no answer in time, SERVFAIL, a network error. Callers treat it as "try again later"
 * (a {@code 4xx} reply, a deferred delivery, an SPF or DKIM {@code temperror}), never as "no such name".
 */
public class DnsException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A failure with a message that names the question. */
    public DnsException(String message) {
        super(message);
    }

    /** A failure with a message that names the question, and its cause. */
    public DnsException(String message, Throwable cause) {
        super(message, cause);
    }
}
