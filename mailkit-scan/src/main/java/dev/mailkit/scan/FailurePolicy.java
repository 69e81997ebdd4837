package dev.mailkit.scan;

/**
 * What happens to a message when a scanner cannot give an answer (it is down, too slow, or answers garbage), or is
 * being skipped after failing again and again.
 */
public enum FailurePolicy {
    /**
     * Refuse the transaction for now with {@code 451 4.7.1}: the sending server tries again later, so nothing is lost
     * and nothing unscanned is delivered. The default (the right choice on the MX role).
     */
    TEMPFAIL,
    /**
     * Accept the message without this scanner's verdict, with an {@code X-Scan-Results} entry saying it was not
     * scanned (for example {@code clamd=unscanned (timeout)}).
     */
    ACCEPT
}
