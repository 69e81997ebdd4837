package dev.mailkit.core.sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A list that things arrive in, with waits that are woken by arrival (never polling): take the next item not yet
 * taken, or wait until enough items match. The recording sinks are built on it. Thread-safe.
 */
public final class Arrivals<T> {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<T> items = new ArrayList<>();
    private int taken;

    /** Adds an item and wakes every waiter. */
    public void add(T item) {
        lock.lock();
        try {
            items.add(item);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Every item so far, oldest first. */
    public List<T> snapshot() {
        lock.lock();
        try {
            return List.copyOf(items);
        } finally {
            lock.unlock();
        }
    }

    /** The number of items so far. */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many items {@link #takeNext} has returned. */
    public int taken() {
        lock.lock();
        try {
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** The next item not yet taken, waiting up to the timeout for it; null on timeout. */
    public T takeNext(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (taken >= items.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
            return items.get(taken++);
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code n} items match, and returns the matching ones; null on timeout. */
    public List<T> awaitMatching(int n, Duration timeout, Predicate<? super T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                List<T> matching = new ArrayList<>();
                for (T item : items) {
                    if (condition.test(item)) {
                        matching.add(item);
                    }
                }
                if (matching.size() >= n) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                arrived.await(left, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes every item (and resets what was taken); returns what was removed. */
    public List<T> clear() {
        lock.lock();
        try {
            List<T> old = new ArrayList<>(items);
            items.clear();
            taken = 0;
            return old;
        } finally {
            lock.unlock();
        }
    }
}
