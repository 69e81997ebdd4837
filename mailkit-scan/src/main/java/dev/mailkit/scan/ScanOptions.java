package dev.mailkit.scan;

import dev.mailkit.core.Arguments;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link ScanFilter} treats one scanner or milter: its {@link FailurePolicy}, the largest message it is given
 * (bigger ones skip it, with a header field that says so), and its circuit breaker (after so many failures in a row
 * it is skipped for a while, with the failure policy applied at once, instead of costing every session its timeout;
 * then one call tries it again). Immutable; each {@code with} method returns a copy.
 *
 * <pre>{@code
 * ScanOptions.defaults().onFailure(FailurePolicy.ACCEPT).maxMessageSize(10 << 20)
 * }</pre>
 *
 * @param failurePolicy    what happens when the scanner gives no answer
 * @param maxMessageSize   the largest message given to it, or -1 for the scanner's own limit
 *                         ({@link Scanner#maxMessageSize()})
 * @param breakerFailures  failures in a row that open the breaker
 * @param breakerOpenFor   how long an open breaker skips the scanner
 */
public record ScanOptions(FailurePolicy failurePolicy, long maxMessageSize, int breakerFailures,
                          Duration breakerOpenFor) {
    /** Checks the options. */
    public ScanOptions {
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        if (maxMessageSize < -1 || maxMessageSize == 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive (or -1 for the scanner's own limit), "
                    + "was " + maxMessageSize);
        }
        Arguments.atLeastOne(breakerFailures, "breakerFailures");
        Arguments.positive(breakerOpenFor, "breakerOpenFor");
    }

    /** Temporary failure, the scanner's own size limit, skipped for 30 s after 3 failures in a row. */
    public static ScanOptions defaults() {
        return new ScanOptions(FailurePolicy.TEMPFAIL, -1, 3, Duration.ofSeconds(30));
    }

    /** A copy with this failure policy. */
    public ScanOptions onFailure(FailurePolicy policy) {
        return new ScanOptions(policy, maxMessageSize, breakerFailures, breakerOpenFor);
    }

    /** A copy with this size limit (octets). */
    public ScanOptions maxMessageSize(long octets) {
        return new ScanOptions(failurePolicy, octets, breakerFailures, breakerOpenFor);
    }

    /** A copy whose breaker opens after {@code failures} failures in a row and stays open for {@code openFor}. */
    public ScanOptions circuitBreaker(int failures, Duration openFor) {
        return new ScanOptions(failurePolicy, maxMessageSize, failures, openFor);
    }
}
