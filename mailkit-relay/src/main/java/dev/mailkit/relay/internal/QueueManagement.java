package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.StateChange;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The management API of the live queue (what {@code RelayQueue}'s list, entry, size, retryNow, flush, hold, release
 * and delete do): snapshots made through {@link PublicTypes}, holds and releases recorded durably before they are
 * reported, deletions durable when they return. Thread-safe.
 */
public final class QueueManagement {
    private final RelayConfig cfg;
    private final QueueStorage store;
    private final LiveMessages messages;
    private final Scheduler scheduler;
    private final Events events;
    private final PublicTypes types;

    QueueManagement(RelayConfig cfg, QueueStorage store, LiveMessages messages, Scheduler scheduler, Events events,
                    PublicTypes types) {
        this.cfg = cfg;
        this.store = store;
        this.messages = messages;
        this.scheduler = scheduler;
        this.events = events;
        this.types = types;
    }

    /** Every queued message, oldest first. */
    public List<QueueEntry> list() {
        long now = cfg.clock.millis();
        List<QueueEntry> out = new ArrayList<>();
        for (StoredMessage m : messages.all()) {
            out.add(m.snapshot(now, types));
        }
        out.sort(Comparator.comparing(QueueEntry::created).thenComparing(QueueEntry::id));
        return out;
    }

    /** One queued message. */
    public Optional<QueueEntry> entry(String id) {
        StoredMessage m = messages.get(id);
        return m == null ? Optional.empty() : Optional.of(m.snapshot(cfg.clock.millis(), types));
    }

    /** The number of queued messages. */
    public int size() {
        return messages.size();
    }

    /** Starts an attempt now; false if there is no such message or it is held. */
    public boolean retryNow(String id) {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        m.lock.lock();
        try {
            if (m.deleted || m.removed || m.held) {
                return false;
            }
            if (m.jobsInFlight > 0) {
                return true; // an attempt is already running
            }
        } finally {
            m.lock.unlock();
        }
        scheduler.dispatch(m);
        return true;
    }

    /** Starts an attempt for every message that is not held; returns how many. */
    public int flush() {
        int n = 0;
        for (String id : messages.ids()) {
            if (retryNow(id)) {
                n++;
            }
        }
        return n;
    }

    /** Holds a message (durably); false if there is no such message. */
    public boolean hold(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        m.lock.lock();
        try {
            if (m.deleted || m.removed) {
                return false;
            }
            if (!m.held) {
                store.record(m.id, List.of(StateChange.held(cfg.clock.millis())));
                m.held = true;
            }
        } finally {
            m.lock.unlock();
        }
        events.emit(events.about(RelayEvent.Type.HELD, id, cfg.clock.instant(), List.of(), "held"));
        return true;
    }

    /** Releases a held message (durably) and attempts it now; false if there is no such message. */
    public boolean release(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        boolean start;
        m.lock.lock();
        try {
            if (m.deleted || m.removed || !m.held) {
                return !m.deleted && !m.removed;
            }
            store.record(m.id, List.of(StateChange.released(cfg.clock.millis())));
            m.held = false;
            start = m.jobsInFlight == 0;
        } finally {
            m.lock.unlock();
        }
        events.emit(events.about(RelayEvent.Type.RELEASED, id, cfg.clock.instant(), List.of(), "released"));
        if (start) {
            scheduler.dispatch(m);
        }
        return true;
    }

    /** Deletes a message, durably when this returns; no DSN. False if there is no such message. */
    public boolean delete(String id) throws IOException {
        StoredMessage m = messages.get(id);
        if (m == null) {
            return false;
        }
        List<MailAddress> pending = new ArrayList<>();
        m.lock.lock();
        try {
            if (m.deleted || m.removed) {
                return false;
            }
            m.deleted = true;
            m.removed = true;
            store.remove(m.id, true);
            for (int i = 0; i < m.states.length; i++) {
                if (m.states[i] == StoredMessage.State.PENDING || m.states[i] == StoredMessage.State.ACTIVE) {
                    pending.add(m.recipients.get(i));
                }
            }
        } finally {
            m.lock.unlock();
        }
        messages.remove(m);
        events.emit(events.about(RelayEvent.Type.DELETED, id, cfg.clock.instant(), pending,
                "deleted from the queue; " + pending.size() + " recipient(s) will not receive it"));
        return true;
    }
}
