package dev.mailkit.relay.internal;

import dev.mailkit.relay.spi.LeaseLostException;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.StateChange;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The management API of the live queue (what {@code RelayQueue}'s list, entry, size, retryNow, flush, hold, release
 * and delete do): snapshots made through {@link PublicTypes}, holds and releases recorded durably before they are
 * reported, deletions durable when they return. On a storage shared by several nodes it covers the whole queue:
 * the listing is its whole queue ({@link QueueStorage#wholeQueue()}), and an action on a message another node holds
 * takes it over first ({@link QueueStorage#takeOver}), so that this node carries it out. Thread-safe.
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

    /** Every queued message (of every node, on a shared storage), oldest first. */
    public List<QueueEntry> list() {
        long now = cfg.clock.millis();
        List<QueueEntry> out = new ArrayList<>();
        for (StoredMessage m : all().values()) {
            out.add(m.snapshot(now, types));
        }
        out.sort(Comparator.comparing(QueueEntry::created).thenComparing(QueueEntry::id));
        return out;
    }

    /** One queued message (whichever node holds it, on a shared storage). */
    public Optional<QueueEntry> entry(String id) {
        StoredMessage m = all().get(id);
        return m == null ? Optional.empty() : Optional.of(m.snapshot(cfg.clock.millis(), types));
    }

    /** The number of queued messages (of every node, on a shared storage). */
    public int size() {
        return all().size();
    }

    /**
     * The queue by id: the live messages, or on a shared storage its whole queue, with the live copy of each message
     * this node holds. A live copy of a message another node holds is stale (this node lost its lease and has not
     * found out yet): forgotten here. One that the storage does not list (gone, or too new for the listing) is left
     * out.
     */
    private Map<String, StoredMessage> all() {
        Optional<List<QueueStorage.Recovered>> whole;
        try {
            whole = store.wholeQueue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shared queue: " + e.getMessage(), e);
        }
        Map<String, StoredMessage> out = new LinkedHashMap<>();
        if (whole.isEmpty()) {
            messages.all().forEach(m -> out.put(m.id, m));
            return out;
        }
        for (QueueStorage.Recovered r : whole.get()) {
            String id = r.message().id();
            StoredMessage live = messages.get(id);
            if (r.holder().isPresent() && live != null) {
                forget(id);
            }
            StoredMessage m = r.holder().isEmpty() && live != null ? live : stored(r);
            if (!m.isFinished()) {
                out.put(id, m);
            }
        }
        return out;
    }

    private static StoredMessage stored(QueueStorage.Recovered r) {
        StoredMessage m = new StoredMessage(r.message(), r.contentLength());
        StateRecords.apply(m, r.changes());
        return m;
    }

    /**
     * The live message {@code id}; if another node holds it, this node takes it over first (live here, not yet
     * scheduled: the caller's action decides, then {@link #scheduleIfIdle}). Null if there is no such message.
     */
    private StoredMessage local(String id, boolean[] taken) throws IOException {
        StoredMessage m = messages.get(id);
        if (m != null) {
            return m;
        }
        Optional<QueueStorage.Recovered> r = store.takeOver(id);
        if (r.isEmpty()) {
            return null;
        }
        m = stored(r.get());
        if (m.isFinished()) {
            store.remove(m.id, false);
            return null;
        }
        taken[0] = true;
        messages.add(m);
        return m;
    }

    /** Forgets the live copy of a message that another node holds now. */
    private void forget(String id) {
        StoredMessage m = messages.get(id);
        if (m != null) {
            m.lock.lock();
            try {
                m.deleted = true;
            } finally {
                m.lock.unlock();
            }
            messages.remove(m);
        }
    }

    /** Schedules a message taken over from another node at its next attempt, unless it is held, gone or running. */
    private void scheduleIfIdle(StoredMessage m) {
        m.lock.lock();
        try {
            if (m.deleted || m.removed || m.held || m.jobsInFlight > 0) {
                return;
            }
        } finally {
            m.lock.unlock();
        }
        scheduler.schedule(m, Math.max(cfg.clock.millis(), m.nextAttempt));
    }

    /** Starts an attempt now; false if there is no such message or it is held. */
    public boolean retryNow(String id) {
        StoredMessage m;
        boolean[] taken = {false};
        try {
            m = local(id, taken);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take message " + id + " over: " + e.getMessage(), e);
        }
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

    /**
     * Starts an attempt for every message that is not held; returns how many. On a shared storage this node takes
     * over the messages other nodes hold to attempt them.
     */
    public int flush() {
        int n = 0;
        Map<String, StoredMessage> all = all();
        List<String> ids = messages.ids();
        for (StoredMessage m : all.values()) {
            if (!m.held && messages.get(m.id) == null) {
                ids.add(m.id);
            }
        }
        for (String id : ids) {
            if (retryNow(id)) {
                n++;
            }
        }
        return n;
    }

    /** An action on one queued message, by id. */
    private interface Action {
        boolean apply(String id) throws IOException;
    }

    /**
     * Runs the action, and once more after forgetting the local copy when the copy turns out stale (another node had
     * claimed the message since: {@link LeaseLostException}), so that the second run takes it over afresh.
     */
    private boolean afresh(String id, Action action) throws IOException {
        try {
            return action.apply(id);
        } catch (LeaseLostException e) {
            forget(id);
            return action.apply(id);
        }
    }

    /** Holds a message (durably); false if there is no such message. */
    public boolean hold(String id) throws IOException {
        return afresh(id, this::holdOnce);
    }

    private boolean holdOnce(String id) throws IOException {
        boolean[] taken = {false};
        StoredMessage m = local(id, taken);
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
            if (taken[0]) {
                scheduleIfIdle(m);
            }
        }
        events.emit(events.about(RelayEvent.Type.HELD, id, cfg.clock.instant(), List.of(), "held"));
        return true;
    }

    /** Releases a held message (durably) and attempts it now; false if there is no such message. */
    public boolean release(String id) throws IOException {
        return afresh(id, this::releaseOnce);
    }

    private boolean releaseOnce(String id) throws IOException {
        boolean[] taken = {false};
        StoredMessage m = local(id, taken);
        if (m == null) {
            return false;
        }
        boolean start = false;
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
            if (taken[0] && !start) {
                scheduleIfIdle(m);
            }
        }
        events.emit(events.about(RelayEvent.Type.RELEASED, id, cfg.clock.instant(), List.of(), "released"));
        if (start) {
            scheduler.dispatch(m);
        }
        return true;
    }

    /** Deletes a message, durably when this returns; no DSN. False if there is no such message. */
    public boolean delete(String id) throws IOException {
        return afresh(id, this::deleteOnce);
    }

    private boolean deleteOnce(String id) throws IOException {
        StoredMessage m = local(id, new boolean[1]);
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
