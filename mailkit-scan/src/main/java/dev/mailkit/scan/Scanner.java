package dev.mailkit.scan;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;

import java.io.IOException;

/**
 * A content scanner the {@link ScanFilter} calls at the end of DATA: {@link RspamdClient}, {@link SpamdClient},
 * {@link ClamdClient}, or an application's own. Milters are not scanners (they take part in the whole SMTP
 * conversation): see {@link MilterClient}.
 *
 * <p>Implementations stream the message (never the whole message in the heap), bound their own wait with a timeout,
 * and throw {@link IOException} for anything that is not an answer (down, too slow, garbage): the filter applies the
 * scanner's {@link FailurePolicy}. Thread-safe: called from many SMTP sessions at once.
 */
public interface Scanner {
    /** A short name for header fields and logs, e.g. {@code rspamd} (letters, digits, {@code - . _}). */
    String name();

    /**
     * Scans one message.
     *
     * @param envelope the transaction: reverse-path, recipients, client address, HELO name, authenticated user, TLS,
     *                 transaction id
     * @param message  the message as it will be stored (with the receiver's {@code Received:} field); valid during the
     *                 call only
     * @throws IOException if the scanner gave no usable answer within its timeout
     */
    ScanResult scan(Envelope envelope, MessageSource message) throws IOException;

    /**
     * Checks that the scanner answers (its own ping), within its timeout.
     *
     * @return what it said, e.g. {@code PONG} or its version
     * @throws IOException if it does not answer as it should
     */
    String ping() throws IOException;

    /**
     * The largest message the scanner takes; bigger ones are skipped with a header field saying so (unless the
     * filter's options set another limit). Default: no limit.
     */
    default long maxMessageSize() {
        return Long.MAX_VALUE;
    }
}
