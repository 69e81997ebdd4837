package dev.mailkit.store.delivery;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailboxName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DeliveryRule} decided for one copy: the mailboxes to file it into (none: the copy is discarded, and
 * the recipient still counts as delivered), or a refusal for the recipient; and what to do once the agent knows
 * whether the copies were stored. A decision that names the same mailbox twice files one copy there, with the flags
 * of both. Immutable.
 */
public final class DeliveryDecision {
    private static final DeliveryDecision KEEP = builder().keep(Flags.NONE).build();

    /** One mailbox to file into. */
    public record Filing(Optional<MailboxName> mailbox, Flags flags, boolean create) {
        /** Validates. */
        public Filing {
            Objects.requireNonNull(mailbox, "mailbox");
            Objects.requireNonNull(flags, "flags");
        }
    }

    /** Called once, after the copies of the decision were stored (or not). */
    @FunctionalInterface
    public interface Completion {
        /**
         * @param stored true if every filing of the decision was stored durably (or there was none), false if the
         *               recipient failed (and the sender will retry)
         */
        void done(boolean stored);
    }

    private final List<Filing> filings;
    private final SmtpReply refusal;
    private final List<Completion> completions;

    private DeliveryDecision(Builder b) {
        this.filings = List.copyOf(b.filings);
        this.refusal = b.refusal;
        this.completions = List.copyOf(b.completions);
    }

    /** The default: one copy into the default mailbox, no flags. */
    public static DeliveryDecision keep() {
        return KEEP;
    }

    /** A builder of a decision with no filing (a discard) to start from. */
    public static Builder builder() {
        return new Builder();
    }

    /** The filings, in order; empty for a discard or a refusal. */
    public List<Filing> filings() {
        return filings;
    }

    /** The reply refusing the recipient, if the rule refused it (no copy is stored then). */
    public Optional<SmtpReply> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The completion hooks, in order. */
    public List<Completion> completions() {
        return completions;
    }

    @Override
    public String toString() {
        return refusal != null ? "refuse " + refusal : filings.isEmpty() ? "discard" : "file " + filings;
    }

    /** Builds a {@link DeliveryDecision}. Not thread-safe. */
    public static final class Builder {
        private final List<Filing> filings = new ArrayList<>();
        private SmtpReply refusal;
        private final List<Completion> completions = new ArrayList<>();

        private Builder() {
        }

        /** A copy into the default mailbox with these flags. */
        public Builder keep(Flags flags) {
            filings.add(new Filing(Optional.empty(), flags, false));
            return this;
        }

        /**
         * A copy into a mailbox of the user.
         *
         * @param create whether to create the mailbox if it does not exist (otherwise such a copy goes into the
         *               default mailbox, as Dovecot's {@code fileinto} without {@code :create} does)
         */
        public Builder fileInto(MailboxName mailbox, Flags flags, boolean create) {
            filings.add(new Filing(Optional.of(mailbox), flags, create));
            return this;
        }

        /** Refuses the recipient with a 5xx or 4xx reply (filings are ignored then). */
        public Builder refuse(SmtpReply reply) {
            if (reply.isPositive()) {
                throw new IllegalArgumentException("a refusal needs a 4xx or 5xx reply, was " + reply);
            }
            this.refusal = reply;
            return this;
        }

        /** Adds a completion hook. */
        public Builder onCompletion(Completion completion) {
            completions.add(Objects.requireNonNull(completion, "completion"));
            return this;
        }

        /** The decision. */
        public DeliveryDecision build() {
            return new DeliveryDecision(this);
        }
    }
}
