package dev.mailkit.store.internal;

import dev.mailkit.store.UidSet;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out UIDVALIDITY values: the current time in seconds, but always greater than the last value handed out, so
 * that a mailbox re-created in the same second still gets a new one. One per store. Thread-safe.
 */
public final class UidValidityGenerator {
    private final Clock clock;
    private final AtomicLong last;

    /** A generator that hands out values above {@code last}. */
    public UidValidityGenerator(Clock clock, long last) {
        this.clock = clock;
        this.last = new AtomicLong(last);
    }

    /** The next value, between 1 and 2<sup>32</sup>-1. */
    public long next() {
        long now = Math.max(1, clock.instant().getEpochSecond() % UidSet.MAX_UID);
        return last.updateAndGet(prev -> {
            long v = Math.max(now, prev + 1);
            return v > UidSet.MAX_UID ? 1 : v;
        });
    }
}
