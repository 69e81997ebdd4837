package dev.mailkit.relay;

import dev.mailkit.core.Arguments;
import java.time.Duration;
import java.util.Objects;

/**
 * When the relay tries again after a temporary failure (a {@code 4xx} reply, a connection that failed or timed out),
 * and when it gives up and bounces the message.
 *
 * <p>Defaults, like Postfix's {@code minimal_backoff_time}, {@code maximal_backoff_time} and
 * {@code maximal_queue_lifetime}: the first retry 5 minutes after the first failed attempt, each further delay twice
 * the one before, at most 4000 seconds (about an hour), and the message bounced after 5 days in the queue. Immutable
 * and thread-safe.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();

    private final Duration initialDelay;
    private final double multiplier;
    private final Duration maxDelay;
    private final Duration maxLifetime;

    private RetryPolicy(Builder b) {
        this.initialDelay = b.initialDelay;
        this.multiplier = b.multiplier;
        this.maxDelay = b.maxDelay;
        this.maxLifetime = b.maxLifetime;
    }

    /** The defaults described above. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The delay before the first retry. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The factor between consecutive delays. */
    public double multiplier() {
        return multiplier;
    }

    /** The longest delay between attempts. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** How long a message may stay in the queue before its remaining recipients are bounced. */
    public Duration maxLifetime() {
        return maxLifetime;
    }

    /**
     * The delay after the given number of failed attempts (1 after the first failure).
     *
     * @throws IllegalArgumentException if {@code failedAttempts < 1}
     */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, was " + failedAttempts);
        }
        double millis = initialDelay.toMillis();
        for (int i = 1; i < failedAttempts && millis < maxDelay.toMillis(); i++) {
            millis *= multiplier;
        }
        return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
    }

    @Override
    public String toString() {
        return "RetryPolicy{first " + initialDelay + ", x" + multiplier + ", at most " + maxDelay + ", give up after "
                + maxLifetime + "}";
    }

    /** Builds a {@link RetryPolicy}; {@link #build()} checks that the values fit together. Not thread-safe. */
    public static final class Builder {
        private Duration initialDelay = Duration.ofMinutes(5);
        private double multiplier = 2;
        private Duration maxDelay = Duration.ofSeconds(4000);
        private Duration maxLifetime = Duration.ofDays(5);

        private Builder() {
        }

        /** The delay before the first retry (default 5 minutes). */
        public Builder initialDelay(Duration d) {
            this.initialDelay = Arguments.positive(d, "initialDelay");
            return this;
        }

        /** The factor between consecutive delays, at least 1 (default 2). */
        public Builder multiplier(double m) {
            if (!(m >= 1) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("multiplier must be a finite number >= 1, was " + m);
            }
            this.multiplier = m;
            return this;
        }

        /** The longest delay between attempts (default 4000 seconds). */
        public Builder maxDelay(Duration d) {
            this.maxDelay = Arguments.positive(d, "maxDelay");
            return this;
        }

        /** How long a message may stay queued before it is bounced (default 5 days). */
        public Builder maxLifetime(Duration d) {
            this.maxLifetime = Arguments.positive(d, "maxLifetime");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @throws IllegalStateException if the maximum delay is shorter than the initial delay
         */
        public RetryPolicy build() {
            if (maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalStateException("maxDelay (" + maxDelay + ") must not be shorter than initialDelay ("
                        + initialDelay + ")");
            }
            return new RetryPolicy(this);
        }

    }
}
