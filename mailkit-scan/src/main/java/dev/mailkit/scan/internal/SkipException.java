package dev.mailkit.scan.internal;

import java.io.IOException;

/**
 * A scanner declined a message for a reason that is not a failure (it is longer than the scanner takes): the
 * filter skips the scanner for this message, with a header field saying why, and does not count it against the
 * scanner's circuit breaker.
 */
public final class SkipException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With the reason, which appears in the header field (printable ASCII). */
    public SkipException(String reason) {
        super(reason);
    }
}
