package dev.mailkit.relay.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces deadlines that socket timeouts cannot: a blocking write to a server that stopped reading never times out
 * by itself. Channels ({@link SmtpChannel}) set a deadline before each step; one thread closes the sockets of those
 * past it. Thread-safe.
 */
public final class Watchdog implements AutoCloseable {
    private final Set<SmtpChannel> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    public Watchdog() {
        thread = new Thread(this::loop, "mailkit-relay-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    void watch(SmtpChannel c) {
        watched.add(c);
    }

    void unwatch(SmtpChannel c) {
        watched.remove(c);
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            long now = System.nanoTime();
            for (SmtpChannel c : watched) {
                c.checkDeadline(now);
            }
        }
    }

    /** Closes every watched connection's socket (used when the relay shuts down). */
    void abortAll() {
        for (SmtpChannel c : watched) {
            c.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
