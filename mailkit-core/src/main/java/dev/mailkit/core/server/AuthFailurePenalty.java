package dev.mailkit.core.server;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after each failed login from a client IP address the server waits before replying,
 * and the wait doubles with every further failure from that address, up to a maximum (like Dovecot's
 * {@code auth_failure_delay}: 2 s doubling to 15 s by default). A successful login, or a quiet period, forgets the
 * address. Memory stays bounded: at most {@code maxTracked} addresses are remembered; beyond that the stalest are
 * forgotten.
 *
 * <p>Servers share one instance across their listeners so that switching ports does not reset the count.
 * Thread-safe.
 */
public final class AuthFailurePenalty {
    private final Duration initialDelay;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    private final int maxTracked;
    private final Clock clock;
    private final Map<InetAddress, Record> failures = new ConcurrentHashMap<>();

    private AuthFailurePenalty(Builder b) {
        this.initialDelay = b.initialDelay;
        this.maxDelay = b.maxDelay;
        this.forgetAfter = b.forgetAfter;
        this.maxTracked = b.maxTracked;
        this.clock = b.clock;
    }

    /** A builder with the defaults: 2 s initial delay, 15 s maximum, forget after 15 min, track 10 000 addresses. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static AuthFailurePenalty defaults() {
        return builder().build();
    }

    /** No delay at all (for tests that do not measure it). */
    public static AuthFailurePenalty none() {
        return builder().initialDelay(Duration.ZERO).maxDelay(Duration.ZERO).build();
    }

    /**
     * Records a failed login from the address and returns how long to wait before replying to it.
     */
    public Duration recordFailure(InetAddress address) {
        Objects.requireNonNull(address, "address");
        long now = clock.millis();
        if (failures.size() >= maxTracked && !failures.containsKey(address)) {
            evict(now);
        }
        Record r = failures.compute(address, (a, old) -> {
            int count = old == null || now - old.lastFailure > forgetAfter.toMillis() ? 1 : old.count + 1;
            return new Record(count, now);
        });
        return delayFor(r.count);
    }

    /** Forgets the address after a successful login. */
    public void recordSuccess(InetAddress address) {
        failures.remove(address);
    }

    /** The number of recent failures from the address. */
    public int failures(InetAddress address) {
        Record r = failures.get(address);
        return r == null || clock.millis() - r.lastFailure > forgetAfter.toMillis() ? 0 : r.count;
    }

    /** The delay applied after the n-th consecutive failure (n >= 1). */
    public Duration delayFor(int n) {
        if (initialDelay.isZero() || n < 1) {
            return Duration.ZERO;
        }
        long ms = initialDelay.toMillis();
        for (int i = 1; i < n && ms < maxDelay.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }

    private void evict(long now) {
        InetAddress stalest = null;
        long oldest = Long.MAX_VALUE;
        for (Iterator<Map.Entry<InetAddress, Record>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Record> e = it.next();
            if (now - e.getValue().lastFailure > forgetAfter.toMillis()) {
                it.remove();
            } else if (e.getValue().lastFailure < oldest) {
                oldest = e.getValue().lastFailure;
                stalest = e.getKey();
            }
        }
        if (failures.size() >= maxTracked && stalest != null) {
            failures.remove(stalest);
        }
    }

    @Override
    public String toString() {
        return "AuthFailurePenalty{" + initialDelay.toMillis() + " ms doubling to " + maxDelay.toMillis() + " ms}";
    }

    private static final class Record {
        final int count;
        final long lastFailure;

        Record(int count, long lastFailure) {
            this.count = count;
            this.lastFailure = lastFailure;
        }
    }

    /** Builds an {@link AuthFailurePenalty}. Not thread-safe. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofSeconds(2);
        private Duration maxDelay = Duration.ofSeconds(15);
        private Duration forgetAfter = Duration.ofMinutes(15);
        private int maxTracked = 10_000;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The wait after the first failure (default 2 s); zero disables delays. */
        public Builder initialDelay(Duration d) {
            this.initialDelay = nonNegative(d, "initialDelay");
            return this;
        }

        /** The longest wait (default 15 s). */
        public Builder maxDelay(Duration d) {
            this.maxDelay = nonNegative(d, "maxDelay");
            return this;
        }

        /** How long without failures before an address is forgotten (default 15 min). */
        public Builder forgetAfter(Duration d) {
            this.forgetAfter = nonNegative(d, "forgetAfter");
            return this;
        }

        /** The most addresses remembered at once (default 10 000). */
        public Builder maxTracked(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTracked must be at least 1, was " + n);
            }
            this.maxTracked = n;
            return this;
        }

        /** The clock (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds it.
         *
         * @throws IllegalArgumentException if maxDelay is shorter than initialDelay
         */
        public AuthFailurePenalty build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must not be shorter than initialDelay ("
                        + initialDelay + ")");
            }
            return new AuthFailurePenalty(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + " must be zero or positive, was " + d);
            }
            return d;
        }
    }
}
