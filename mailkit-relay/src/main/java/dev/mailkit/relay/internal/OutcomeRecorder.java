package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.LeaseLostException;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.StateChange;

import dev.mailkit.relay.RelayEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what a job did: each recipient's state and last reply, the state changes ({@link StateChange}, recorded by the storage), and at the
 * end of a round (no job of the message left in flight) the retry or, past the retry policy's lifetime, the expiry of
 * the recipients still pending. Bounces are reported ({@link Notifications}) before they are recorded: a bounce whose
 * DSN cannot be queued stays pending and is tried again. A finished message leaves the store and the queue; then the
 * events are told, outside the message's lock. Thread-safe.
 *
 * <p>Durability: a delivery or a bounce is synced before anything else is done for the message, except when the
 * whole message is finished, where removing it records it.
 */
final class OutcomeRecorder {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    private final RelayConfig cfg;
    private final QueueStorage store;
    private final LiveMessages messages;
    private final Events events;
    private final Notifications notifications;
    private final Scheduler scheduler;

    OutcomeRecorder(RelayConfig cfg, QueueStorage store, LiveMessages messages, Events events,
                    Notifications notifications, Scheduler scheduler) {
        this.cfg = cfg;
        this.store = store;
        this.messages = messages;
        this.events = events;
        this.notifications = notifications;
        this.scheduler = scheduler;
    }

    /** Records what a job did. Outcomes are in the job's recipient order (empty when the message was deleted). */
    void complete(Job job, List<Outcome> outcomes) {
        StoredMessage m = job.message;
        List<RelayEvent> told = new ArrayList<>();
        long scheduleAt = -1;
        boolean finished = false;
        m.lock.lock();
        try {
            m.jobsInFlight--;
            if (m.deleted) {
                return;
            }
            if (outcomes.size() != job.indexes.length) {
                throw new IllegalStateException("expected " + job.indexes.length + " outcomes, got " + outcomes.size());
            }
            Instant now = cfg.clock.instant();
            int attempt = m.attempts + 1;
            List<StateChange> records = new ArrayList<>();
            for (int k = 0; k < outcomes.size(); k++) {
                record(m, job.indexes[k], outcomes.get(k), now, records);
            }
            boolean roundOver = m.jobsInFlight == 0;
            finished = m.isFinished();
            Instant next = null;
            List<Outcome> expired = List.of();
            if (roundOver && !finished) {
                m.attempts++;
                long deadline = m.created.toEpochMilli() + cfg.retry.maxLifetime().toMillis();
                if (now.toEpochMilli() >= deadline) {
                    expired = expire(m);
                    finished = true;
                } else {
                    scheduleAt = Math.min(now.toEpochMilli() + cfg.retry.delayAfter(m.attempts).toMillis(), deadline);
                    records.add(StateChange.attempted(now.toEpochMilli(), m.attempts, scheduleAt));
                    next = Instant.ofEpochMilli(scheduleAt);
                }
            }
            for (Outcome o : outcomes) {
                RelayEvent.Type type = typeOf(o.kind);
                told.add(events.outcome(type, m, o, now, attempt, type == RelayEvent.Type.DEFERRED ? next : null));
            }
            for (Outcome o : expired) {
                told.add(events.outcome(RelayEvent.Type.EXPIRED, m, o, now, 0, null));
            }
            if (!m.unreportedBounces.isEmpty()) {
                List<Outcome> bounces = new ArrayList<>(m.unreportedBounces);
                m.unreportedBounces.clear();
                if (!notifications.bounce(m, bounces, told, now)) {
                    // the DSN could not be queued: keep the recipients and try again later rather than lose it
                    for (Outcome b : bounces) {
                        m.states[m.index(b.recipient)] = StoredMessage.State.PENDING;
                    }
                    finished = false;
                    if (roundOver && scheduleAt < 0) {
                        scheduleAt = now.toEpochMilli() + cfg.retry.delayAfter(Math.max(1, m.attempts)).toMillis();
                    }
                } else {
                    for (Outcome b : bounces) {
                        records.add(StateChange.bounced(m.index(b.recipient), now.toEpochMilli(), b.status,
                                Text.escapeControls(b.diagnostic())));
                    }
                }
            }
            if (!m.unreportedSuccesses.isEmpty()) {
                List<Outcome> relayed = new ArrayList<>(m.unreportedSuccesses);
                m.unreportedSuccesses.clear();
                // best effort, as RFC 3461 allows: a success report lost to a crash is not a lost message
                notifications.notify(m, relayed, DsnMessage.Kind.RELAYED, told, now);
            }
            if (scheduleAt >= 0) {
                m.nextAttempt = scheduleAt;
            }
            if (!write(m, finished, records)) {
                // another node holds the message now: forget it here, schedule nothing
                m.deleted = true;
                finished = true;
                scheduleAt = -1;
            }
        } finally {
            m.lock.unlock();
        }
        for (RelayEvent e : told) {
            events.emit(e);
        }
        if (finished) {
            messages.remove(m); // after the events: whoever waits for an empty queue has seen them all
        }
        if (scheduleAt >= 0) {
            scheduler.startAt(m, scheduleAt);
        }
    }

    /** One recipient's outcome: its state, last reply and record; what is still to be reported. Lock held. */
    private static void record(StoredMessage m, int idx, Outcome o, Instant now, List<StateChange> records) {
        m.lastReply[idx] = Text.escapeControls(o.diagnostic());
        switch (o.kind) {
            case DELIVERED:
                m.states[idx] = StoredMessage.State.DELIVERED;
                records.add(StateChange.delivered(idx, now.toEpochMilli(), m.lastReply[idx]));
                if (!o.dsnPassedOn && m.reportsSuccess(o.recipient)) {
                    m.unreportedSuccesses.add(o); // NOTIFY=SUCCESS, and the next server will not report
                }
                break;
            case BOUNCED:
                m.states[idx] = StoredMessage.State.BOUNCED;
                m.unreportedBounces.add(o);
                break;
            default:
                m.states[idx] = StoredMessage.State.PENDING;
                break;
        }
    }

    private static RelayEvent.Type typeOf(Outcome.Kind kind) {
        switch (kind) {
            case DELIVERED:
                return RelayEvent.Type.DELIVERED;
            case BOUNCED:
                return RelayEvent.Type.BOUNCED;
            default:
                return RelayEvent.Type.DEFERRED;
        }
    }

    /** Bounces every pending recipient as expired (4.4.7); returns their outcomes. Lock held. */
    private List<Outcome> expire(StoredMessage m) {
        List<Outcome> expired = new ArrayList<>();
        for (int i = 0; i < m.states.length; i++) {
            if (m.states[i] == StoredMessage.State.PENDING) {
                m.states[i] = StoredMessage.State.BOUNCED;
                Outcome o = new Outcome(m.recipients.get(i), Outcome.Kind.BOUNCED, null, "4.4.7",
                        "delivery time expired after " + human(cfg.retry.maxLifetime()) + "; last problem: "
                                + (m.lastReply[i] == null ? "none" : m.lastReply[i]), null, null, null);
                m.unreportedBounces.add(o);
                expired.add(o);
            }
        }
        return expired;
    }

    /**
     * Removes a finished message from the storage, or records the changes (durably for deliveries and bounces); false
     * if the storage says that this node no longer holds the message ({@link LeaseLostException}).
     */
    private boolean write(StoredMessage m, boolean finished, List<StateChange> records) {
        try {
            if (finished) {
                m.removed = true;
                store.remove(m.id, false);
            } else if (!records.isEmpty()) {
                store.record(m.id, records);
            }
        } catch (LeaseLostException e) {
            LOG.warn("{}: this node lost its lease on the message, another node delivers it now; its results here "
                    + "are not recorded and it is not delivered from here again: {}", m.id, e.getMessage());
            return false;
        } catch (IOException e) {
            LOG.error("{}: cannot record delivery state: {}", m.id, e.toString());
        }
        return true;
    }

    /** A duration as people write it: "5 days", "90 minutes". */
    static String human(Duration d) {
        long s = d.getSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + (s == 86400 ? " day" : " days");
        }
        if (s % 3600 == 0) {
            return s / 3600 + (s == 3600 ? " hour" : " hours");
        }
        if (s % 60 == 0) {
            return s / 60 + (s == 60 ? " minute" : " minutes");
        }
        return s + " seconds";
    }
}
