package dev.mailkit.sieve;

import dev.mailkit.core.MessageSource;
import dev.mailkit.sieve.internal.exec.MailMessage;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The Sieve interpreter (RFC 5228) with its limits: runs a compiled {@link SieveScript} over a message and says
 * what it decided ({@link SieveResult}), without carrying anything out. {@link SieveDelivery} carries the actions
 * out for the delivery agent.
 *
 * <pre>{@code
 * Sieve sieve = Sieve.builder().build();
 * SieveResult r = sieve.evaluate(script, new SieveEnvelope("ann@example.com", "bob@example.org"), message,
 *         mailbox -> false);
 * }</pre>
 *
 * <p>Extensions: fileinto, reject, ereject, envelope, imap4flags, copy, body, variables, relational, subaddress,
 * date, include, mailbox, vacation, vacation-seconds, spamtest, spamtestplus, virustest, and the comparators
 * i;octet, i;ascii-casemap and i;ascii-numeric. Immutable and thread-safe.
 */
public final class Sieve {
    /** Pigeonhole's default limits. */
    public static final int DEFAULT_MAX_REDIRECTS = 4;
    public static final int DEFAULT_MAX_ACTIONS = 32;

    private final Clock clock;
    private final ZoneId zone;
    private final int maxRedirects;
    private final int maxActions;
    private final Duration minPeriod;
    private final Duration maxPeriod;

    private Sieve(Builder b) {
        this.clock = b.clock;
        this.zone = b.zone;
        this.maxRedirects = b.maxRedirects;
        this.maxActions = b.maxActions;
        this.minPeriod = b.minPeriod;
        this.maxPeriod = b.maxPeriod;
    }

    /** A builder with Pigeonhole's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a script.
     *
     * @param mailboxExists answers the mailbox test ({@code mailboxexists}) for a name as the script gives it
     * @throws IOException if the message cannot be read
     */
    public SieveResult evaluate(SieveScript script, SieveEnvelope envelope, MessageSource message,
                                Predicate<String> mailboxExists) throws IOException {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(mailboxExists, "mailboxExists");
        return new Interpreter(this, MailMessage.of(message), envelope, mailboxExists).run(script);
    }

    Clock clock() {
        return clock;
    }

    ZoneId zone() {
        return zone;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    int maxActions() {
        return maxActions;
    }

    /** A vacation period asked for, within the limits. */
    Duration vacationPeriod(long seconds) {
        Duration d = Duration.ofSeconds(Math.max(0, seconds));
        if (d.compareTo(minPeriod) < 0) {
            return minPeriod;
        }
        return maxPeriod.isZero() || d.compareTo(maxPeriod) <= 0 ? d : maxPeriod;
    }

    /** Configures a {@link Sieve}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneId.systemDefault();
        private int maxRedirects = DEFAULT_MAX_REDIRECTS;
        private int maxActions = DEFAULT_MAX_ACTIONS;
        private Duration minPeriod = Duration.ofDays(1);
        private Duration maxPeriod = Duration.ZERO;

        private Builder() {
        }

        /** The clock of {@code currentdate} (default: the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The zone dates are shown in without {@code :zone} (default: the system's). */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The most redirects one run may make (default {@value #DEFAULT_MAX_REDIRECTS}). */
        public Builder maxRedirects(int max) {
            this.maxRedirects = max;
            return this;
        }

        /** The most actions one run may take (default {@value #DEFAULT_MAX_ACTIONS}). */
        public Builder maxActions(int max) {
            this.maxActions = max;
            return this;
        }

        /**
         * The shortest and longest time a vacation reply's sender is remembered: shorter {@code :days} or
         * {@code :seconds} are raised to {@code min}, longer ones cut to {@code max} (zero: no maximum). Default one
         * day and no maximum, as Pigeonhole's.
         */
        public Builder vacationPeriods(Duration min, Duration max) {
            this.minPeriod = Objects.requireNonNull(min, "min");
            this.maxPeriod = Objects.requireNonNull(max, "max");
            return this;
        }

        /**
         * The interpreter.
         *
         * @throws IllegalStateException if a limit is out of range
         */
        public Sieve build() {
            if (maxRedirects < 0 || maxRedirects > 100) {
                throw new IllegalStateException("maxRedirects must be between 0 and 100, was " + maxRedirects);
            }
            if (maxActions < 1 || maxActions > 1000) {
                throw new IllegalStateException("maxActions must be between 1 and 1000, was " + maxActions);
            }
            if (minPeriod.isNegative() || maxPeriod.isNegative()
                    || (!maxPeriod.isZero() && maxPeriod.compareTo(minPeriod) < 0)) {
                throw new IllegalStateException("vacationPeriods need 0 <= min <= max (or max 0 for none), were "
                        + minPeriod + " and " + maxPeriod);
            }
            return new Sieve(this);
        }
    }
}
