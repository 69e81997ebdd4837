package dev.mailkit.relay.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When attempts run. {@link #dispatch} starts one now: the message's pending recipients, grouped by destination
 * ({@link Router#destinationOf}) into jobs of at most {@code maxRecipientsPerTransaction}, go to the
 * {@link Dispatcher}. {@link #schedule} and {@link #startAt} start one later, from a timer thread on the injected clock
 * (it looks at least every 200 ms, so a clock that jumps is noticed); a timer entry whose message has been
 * rescheduled or started meanwhile is dropped. Thread-safe.
 */
final class Scheduler implements AutoCloseable {
    private static final long TIMER_TICK_MILLIS = 200;

    private final RelayConfig cfg;
    private final Router router;
    private final Dispatcher dispatcher;
    private final ReentrantLock timerLock = new ReentrantLock();
    private final Condition timerWake = timerLock.newCondition();
    private final PriorityQueue<Entry> timer = new PriorityQueue<>(Comparator.comparingLong(s -> s.due));
    private final Thread timerThread;
    private volatile boolean closed;

    private static final class Entry {
        final StoredMessage message;
        final long due;

        Entry(StoredMessage message, long due) {
            this.message = message;
            this.due = due;
        }
    }

    Scheduler(RelayConfig cfg, Router router, Dispatcher dispatcher) {
        this.cfg = cfg;
        this.router = router;
        this.dispatcher = dispatcher;
        this.timerThread = new Thread(this::timerLoop, "mailkit-relay-timer");
        timerThread.setDaemon(true);
    }

    /** Starts the timer. */
    void start() {
        timerThread.start();
    }

    /** Sets the message's next attempt to {@code due} (clock millis) and starts it then. */
    void schedule(StoredMessage m, long due) {
        m.lock.lock();
        try {
            m.nextAttempt = due;
        } finally {
            m.lock.unlock();
        }
        startAt(m, due);
    }

    /** Starts an attempt at {@code due}; the message's {@code nextAttempt} must already be {@code due}. */
    void startAt(StoredMessage m, long due) {
        timerLock.lock();
        try {
            timer.add(new Entry(m, due));
            timerWake.signal();
        } finally {
            timerLock.unlock();
        }
    }

    private void timerLoop() {
        while (!closed) {
            Entry due = null;
            timerLock.lock();
            try {
                Entry s = timer.peek();
                long now = cfg.clock.millis();
                if (s != null && s.due <= now) {
                    due = timer.poll();
                } else {
                    long wait = s == null ? TIMER_TICK_MILLIS : Math.min(TIMER_TICK_MILLIS, s.due - now);
                    timerWake.awaitNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, wait)));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                timerLock.unlock();
            }
            if (due != null) {
                StoredMessage m = due.message;
                boolean current;
                m.lock.lock();
                try {
                    current = m.nextAttempt == due.due;
                } finally {
                    m.lock.unlock();
                }
                if (current) {
                    dispatch(m);
                }
            }
        }
    }

    /** Starts an attempt for every pending recipient of the message, grouped by destination. */
    void dispatch(StoredMessage m) {
        List<Job> jobs = new ArrayList<>();
        m.lock.lock();
        try {
            if (m.deleted || m.removed || m.held || closed) {
                return;
            }
            m.nextAttempt = -1;
            Map<String, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < m.recipients.size(); i++) {
                if (m.states[i] == StoredMessage.State.PENDING) {
                    groups.computeIfAbsent(router.destinationOf(m.recipients.get(i)), k -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
                List<Integer> all = g.getValue();
                int most = cfg.maxRecipientsPerTransaction;
                for (int from = 0; from < all.size(); from += most) {
                    List<Integer> chunk = all.subList(from, Math.min(all.size(), from + most));
                    int[] idx = chunk.stream().mapToInt(Integer::intValue).toArray();
                    for (int i : idx) {
                        m.states[i] = StoredMessage.State.ACTIVE;
                    }
                    m.jobsInFlight++;
                    jobs.add(new Job(m, g.getKey(), idx));
                }
            }
        } finally {
            m.lock.unlock();
        }
        for (Job j : jobs) {
            dispatcher.submit(j);
        }
    }

    /** Starts nothing more and stops the timer. */
    @Override
    public void close() {
        closed = true;
        timerThread.interrupt();
    }
}
