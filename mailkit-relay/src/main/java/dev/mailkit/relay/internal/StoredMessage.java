package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.spi.QueuedMessage;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A queued message as the relay keeps it in memory: the envelope, the per-recipient state, and (for the disk storage's
 * own copy) where its content is in the queue directory. Never the content itself. Mutable state is guarded by {@link #lock}.
 */
public final class StoredMessage {
    /** Per-recipient state. */
    public enum State { PENDING, ACTIVE, DELIVERED, BOUNCED }

    /**
     * Where the content is: in a file of its own, or in a log segment; with a copy in memory for the first attempt
     * when the message was small. Replaced as a whole when the message moves out of the log.
     */
    static final class Location {
        final Path file;
        final Segment segment;
        final long offset;
        final byte[] cache;
        final int cacheOffset;

        Location(Path file, Segment segment, long offset, byte[] cache, int cacheOffset) {
            this.file = file;
            this.segment = segment;
            this.offset = offset;
            this.cache = cache;
            this.cacheOffset = cacheOffset;
        }

        static Location file(Path file, long offset) {
            return new Location(file, null, offset, null, 0);
        }

        @Override
        public String toString() {
            return file != null ? file.toString() : segment + "@" + offset;
        }
    }

    public final String id;
    volatile Location location;
    public final long contentLength;
    public final MailAddress reversePath;
    public final List<MailAddress> recipients;
    public final Map<String, String> mailParameters;
    /** Per recipient (same order): its DSN parameters (NOTIFY, ORCPT). */
    public final List<Map<String, String>> recipientParameters;
    public final Instant created;
    public final boolean notification;
    public final String origin;
    public final boolean needsSmtpUtf8;

    public final ReentrantLock lock = new ReentrantLock();
    final State[] states;
    final String[] lastReply;
    /** Delivery rounds that ended with a deferral. */
    int attempts;
    /** Clock millis of the next attempt, or -1 when none is scheduled. */
    long nextAttempt = -1;
    boolean held;
    boolean deleted;
    /** The message left the store (finished or deleted): nothing may be written for it any more. */
    boolean removed;
    int jobsInFlight;
    /** Recipients bounced since the last DSN was queued, with their outcome. */
    final List<Outcome> unreportedBounces = new ArrayList<>();
    /** Recipients delivered to a server without DSN that asked for NOTIFY=SUCCESS, not yet reported. */
    final List<Outcome> unreportedSuccesses = new ArrayList<>();

    /** A message of any storage, as the engine keeps it (no location: the storage knows where it is). */
    StoredMessage(QueuedMessage q, long contentLength) {
        this(new QueueFile.Meta(q.id(), q.created(), q.reversePath(), q.mailParameters(), q.recipients(),
                q.recipientParameters(), q.origin(), q.notification()), null, contentLength);
    }

    StoredMessage(QueueFile.Meta meta, Location location, long contentLength) {
        this.id = meta.id;
        this.location = location;
        this.contentLength = contentLength;
        this.reversePath = meta.reversePath;
        this.recipients = meta.recipients;
        this.mailParameters = meta.mailParameters;
        this.recipientParameters = meta.recipientParameters;
        this.created = meta.created;
        this.notification = meta.notification;
        this.origin = meta.origin;
        this.states = new State[recipients.size()];
        this.lastReply = new String[recipients.size()];
        java.util.Arrays.fill(states, State.PENDING);
        boolean utf8 = meta.mailParameters.containsKey("SMTPUTF8")
                || (reversePath != null && reversePath.isSmtpUtf8());
        for (MailAddress r : recipients) {
            utf8 |= r.isSmtpUtf8();
        }
        this.needsSmtpUtf8 = utf8;
    }

    /** Whether every recipient is delivered or bounced. Caller holds the lock. */
    boolean isFinished() {
        for (State s : states) {
            if (s == State.PENDING || s == State.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    int index(MailAddress rcpt) {
        return recipients.indexOf(rcpt);
    }

    /** The recipient's DSN request: its NOTIFY parameter (RFC 3461), or null when it gave none. */
    String notify(MailAddress rcpt) {
        int i = index(rcpt);
        return i < 0 ? null : recipientParameters.get(i).get("NOTIFY");
    }

    /** Whether a failure of the recipient is to be reported (no NOTIFY, or NOTIFY with FAILURE). */
    boolean reportsFailure(MailAddress rcpt) {
        String n = notify(rcpt);
        return n == null || n.contains("FAILURE");
    }

    /** Whether the recipient asked for a success notification (NOTIFY with SUCCESS). */
    boolean reportsSuccess(MailAddress rcpt) {
        String n = notify(rcpt);
        return n != null && n.contains("SUCCESS");
    }

    /** The recipient's ORCPT (RFC 3461 4.2: {@code addr-type;xtext}), or null. */
    String originalRecipient(MailAddress rcpt) {
        int i = index(rcpt);
        return i < 0 ? null : recipientParameters.get(i).get("ORCPT");
    }

    /** A snapshot for the management API, made through {@code types}. */
    QueueEntry snapshot(long nowMillis, PublicTypes types) {
        lock.lock();
        try {
            List<QueueEntry.Recipient> rs = new ArrayList<>();
            for (int i = 0; i < recipients.size(); i++) {
                QueueEntry.State s;
                switch (states[i]) {
                    case ACTIVE:
                        s = QueueEntry.State.IN_PROGRESS;
                        break;
                    case DELIVERED:
                        s = QueueEntry.State.DELIVERED;
                        break;
                    case BOUNCED:
                        s = QueueEntry.State.BOUNCED;
                        break;
                    default:
                        s = QueueEntry.State.PENDING;
                }
                rs.add(types.recipient(recipients.get(i), s, lastReply[i]));
            }
            Instant next = nextAttempt < 0 || held ? null : Instant.ofEpochMilli(nextAttempt);
            return types.entry(id, reversePath, rs, created, contentLength, attempts, next, held, notification,
                    origin);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "StoredMessage{" + id + "}";
    }
}
