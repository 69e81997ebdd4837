package dev.mailkit.scan.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A circuit breaker for one scanner: after {@code threshold} failures in a row it opens for {@code openFor}, and
 * while open the scanner is not called (its failure policy applies at once). When the time is up, calls go through
 * again; a success closes the breaker, a failure opens it again. Thread-safe.
 */
public final class Breaker {
    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Instant openUntil;

    /** A closed breaker. */
    public Breaker(int threshold, Duration openFor, Clock clock) {
        this.threshold = threshold;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Whether the scanner may be called now. */
    public boolean allows() {
        Instant until = openUntil;
        return until == null || !clock.instant().isBefore(until);
    }

    /** Until when it is open, or null when closed. */
    public Instant openUntil() {
        Instant until = openUntil;
        return until != null && clock.instant().isBefore(until) ? until : null;
    }

    /** A call succeeded. */
    public void success() {
        failures.set(0);
        openUntil = null;
    }

    /** A call failed; returns whether the breaker is now open. */
    public boolean failure() {
        if (failures.incrementAndGet() >= threshold) {
            openUntil = clock.instant().plus(openFor);
            return true;
        }
        return false;
    }

    /** Failures in a row so far. */
    public int failures() {
        return failures.get();
    }
}
