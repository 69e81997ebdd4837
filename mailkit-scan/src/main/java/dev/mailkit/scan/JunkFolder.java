package dev.mailkit.scan;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.sink.MailboxRule;
import dev.mailkit.scan.internal.MessageHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Files spam into the user's Junk mailbox: a {@link MailboxRule} for the delivery agent
 * ({@code DeliveryAgent.builder().mailboxRule(JunkFolder.builder().build())}) that reads the header fields the
 * {@link ScanFilter} wrote. A message goes to Junk if its {@code X-Spam-Score} reaches the recipient's threshold, or,
 * for a recipient without one, if it carries {@code X-Spam-Flag: YES}. Only the first of each field is read: the
 * filter puts its own at the top and removes copies a sender may have forged.
 *
 * <pre>{@code
 * JunkFolder junk = JunkFolder.builder()
 *         .threshold("ann@example.com", 3.0)                   // ann wants more in Junk
 *         .threshold("bob@example.com", Double.POSITIVE_INFINITY) // bob wants nothing moved
 *         .build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class JunkFolder implements MailboxRule {
    private final String mailbox;
    private final double defaultThreshold;
    private final Map<String, Double> thresholds;
    private final Function<MailAddress, OptionalDouble> lookup;

    private JunkFolder(Builder b) {
        this.mailbox = b.mailbox;
        this.defaultThreshold = b.defaultThreshold;
        this.thresholds = Map.copyOf(b.thresholds);
        this.lookup = b.lookup;
    }

    /** A builder: mailbox {@code Junk}, the scanner's own flag decides. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<String> mailboxFor(MailAddress recipient, MessageSource message) {
        MessageHeader h;
        try {
            h = MessageHeader.of(message);
        } catch (IOException | RuntimeException e) {
            Log.LOG.warn("cannot read the header of a message for {}: {}", recipient, e.toString());
            return Optional.empty();
        }
        double threshold = threshold(recipient);
        String score = h.first("X-Spam-Score");
        if (!Double.isNaN(threshold) && score != null) {
            try {
                return Double.parseDouble(score) >= threshold ? Optional.of(mailbox) : Optional.empty();
            } catch (NumberFormatException e) {
                // not a number: the flag decides
            }
        }
        String flag = h.first("X-Spam-Flag");
        return flag != null && flag.equalsIgnoreCase("YES") && !(threshold == Double.POSITIVE_INFINITY)
                ? Optional.of(mailbox) : Optional.empty();
    }

    private double threshold(MailAddress recipient) {
        Double t = thresholds.get(recipient.lookupKey());
        if (t != null) {
            return t;
        }
        if (lookup != null) {
            OptionalDouble d = lookup.apply(recipient);
            if (d != null && d.isPresent()) {
                return d.getAsDouble();
            }
        }
        return defaultThreshold;
    }

    @Override
    public String toString() {
        return "JunkFolder[" + mailbox + ", " + thresholds.size() + " thresholds]";
    }

    /** Configures a {@link JunkFolder}. Not thread-safe. */
    public static final class Builder {
        private String mailbox = "Junk";
        private double defaultThreshold = Double.NaN;
        private final Map<String, Double> thresholds = new HashMap<>();
        private Function<MailAddress, OptionalDouble> lookup;

        private Builder() {
        }

        /** The mailbox spam goes into (default {@code Junk}; created with the {@code \Junk} use if missing). */
        public Builder mailbox(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank() || name.equalsIgnoreCase("INBOX")) {
                throw new IllegalArgumentException("the Junk mailbox needs a name other than INBOX, was '" + name
                        + "'");
            }
            this.mailbox = name;
            return this;
        }

        /** The score from which mail goes to Junk for users without their own threshold (default: the flag). */
        public Builder threshold(double score) {
            this.defaultThreshold = check(score);
            return this;
        }

        /**
         * One user's threshold ({@code Double.POSITIVE_INFINITY}: never into Junk).
         *
         * @throws IllegalArgumentException if the address does not parse or the score is NaN
         */
        public Builder threshold(String address, double score) {
            thresholds.put(MailAddress.parse(address).lookupKey(), check(score));
            return this;
        }

        /** Thresholds looked up elsewhere (a user's settings), after those given with {@link #threshold}. */
        public Builder thresholds(Function<MailAddress, OptionalDouble> lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        private static double check(double score) {
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("a threshold must be a number (or POSITIVE_INFINITY for never)");
            }
            return score;
        }

        /** The rule. */
        public JunkFolder build() {
            return new JunkFolder(this);
        }
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(JunkFolder.class);
    }
}
