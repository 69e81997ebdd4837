package dev.mailkit.relay;

import dev.mailkit.core.MailAddress;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one queued message, as {@link RelayQueue#list()} shows it: its envelope, the state of each
 * recipient, the attempts so far and the next one. Immutable; it does not change when the queue does.
 */
public final class QueueEntry {
    /** The state of one recipient. */
    public enum State {
        /** Waiting for its next attempt. */
        PENDING,
        /** A delivery attempt is in progress. */
        IN_PROGRESS,
        /** The remote server accepted it. */
        DELIVERED,
        /** It failed permanently (or expired); a DSN went to the reverse-path unless that was {@code <>}. */
        BOUNCED
    }

    /** One recipient and what happened to it so far. */
    public static final class Recipient {
        private final MailAddress address;
        private final State state;
        private final String lastReply;

        Recipient(MailAddress address, State state, String lastReply) {
            this.address = address;
            this.state = state;
            this.lastReply = lastReply;
        }

        /** The recipient address. */
        public MailAddress address() {
            return address;
        }

        /** Its state. */
        public State state() {
            return state;
        }

        /** The last outcome (the remote reply or the reason for a failure), if there was an attempt. */
        public Optional<String> lastReply() {
            return Optional.ofNullable(lastReply);
        }

        @Override
        public String toString() {
            return "<" + address + "> " + state + (lastReply == null ? "" : " (" + lastReply + ")");
        }
    }

    private final String id;
    private final MailAddress reversePath;
    private final List<Recipient> recipients;
    private final Instant created;
    private final long size;
    private final int attempts;
    private final Instant nextAttempt;
    private final boolean held;
    private final boolean notification;
    private final String origin;

    QueueEntry(String id, MailAddress reversePath, List<Recipient> recipients, Instant created, long size,
                      int attempts, Instant nextAttempt, boolean held, boolean notification, String origin) {
        this.id = id;
        this.reversePath = reversePath;
        this.recipients = List.copyOf(recipients);
        this.created = created;
        this.size = size;
        this.attempts = attempts;
        this.nextAttempt = nextAttempt;
        this.held = held;
        this.notification = notification;
        this.origin = origin;
    }

    /** The queue id. */
    public String id() {
        return id;
    }

    /** The reverse-path, or empty for {@code <>} (a bounce). */
    public Optional<MailAddress> reversePath() {
        return Optional.ofNullable(reversePath);
    }

    /** Every recipient with its state. */
    public List<Recipient> recipients() {
        return recipients;
    }

    /** The recipients still waiting (pending or in progress). */
    public List<MailAddress> pendingRecipients() {
        return recipients.stream().filter(r -> r.state == State.PENDING || r.state == State.IN_PROGRESS)
                .map(Recipient::address).collect(java.util.stream.Collectors.toList());
    }

    /** When the message was queued. */
    public Instant created() {
        return created;
    }

    /** The size of the queued message in octets. */
    public long size() {
        return size;
    }

    /** The number of delivery rounds that ended with some recipient deferred. */
    public int attempts() {
        return attempts;
    }

    /** When the next attempt is due, if one is scheduled (not while held or in progress). */
    public Optional<Instant> nextAttempt() {
        return Optional.ofNullable(nextAttempt);
    }

    /** Whether the message is held (no attempts until released). */
    public boolean isHeld() {
        return held;
    }

    /** Whether this message is a delivery status notification produced by the relay. */
    public boolean isNotification() {
        return notification;
    }

    /** Where the message came from: the SMTP transaction id, or {@code api}. */
    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return id + " from <" + (reversePath == null ? "" : reversePath) + "> " + size + " bytes, " + recipients
                + (held ? " HELD" : "") + (nextAttempt == null ? "" : ", next " + nextAttempt);
    }
}
