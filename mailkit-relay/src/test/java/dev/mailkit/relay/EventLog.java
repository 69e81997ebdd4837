package dev.mailkit.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Records relay events and lets tests wait for them. */
final class EventLog implements RelayListener {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final List<RelayEvent> events = new ArrayList<>();

    @Override
    public void onEvent(RelayEvent event) {
        lock.lock();
        try {
            events.add(event);
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<RelayEvent> all() {
        lock.lock();
        try {
            return new ArrayList<>(events);
        } finally {
            lock.unlock();
        }
    }

    List<RelayEvent> of(RelayEvent.Type type) {
        return all().stream().filter(e -> e.type() == type).collect(Collectors.toList());
    }

    /** Waits until at least n events match; returns the matching events. */
    List<RelayEvent> await(Predicate<RelayEvent> p, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<RelayEvent> m = events.stream().filter(p).collect(Collectors.toList());
                if (m.size() >= n) {
                    return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " matching events within " + timeout + ", got "
                            + m.size() + "; all events:\n" + events.stream().map(Object::toString)
                            .collect(Collectors.joining("\n")));
                }
                added.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    RelayEvent await(RelayEvent.Type type) throws InterruptedException {
        return await(e -> e.type() == type, 1, Duration.ofSeconds(15)).get(0);
    }

    List<RelayEvent> await(RelayEvent.Type type, int n) throws InterruptedException {
        return await(e -> e.type() == type, n, Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return all().stream().map(Object::toString).collect(Collectors.joining("\n"));
    }
}
