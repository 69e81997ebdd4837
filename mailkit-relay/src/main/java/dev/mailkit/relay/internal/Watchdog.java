package dev.mailkit.relay.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces deadlines that socket timeouts cannot: a blocking write to a server that stopped reading never times out
 * by itself. Connections register a deadline before each step; one thread closes the sockets of those past it.
 * Thread-safe.
 */
public final class Watchdog implements AutoCloseable {
    private final Set<SmtpConnection> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    public Watchdog() {
        thread = new Thread(this::loop, "mailkit-relay-watchdog");
        thread.setDaemon(true);
        thread.start();
    }

    void watch(SmtpConnection c) {
        watched.add(c);
    }

    void unwatch(SmtpConnection c) {
        watched.remove(c);
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            long now = System.nanoTime();
            for (SmtpConnection c : watched) {
                c.checkDeadline(now);
            }
        }
    }

    /** Closes every watched connection's socket (used when the relay shuts down). */
    void abortAll() {
        for (SmtpConnection c : watched) {
            c.abort();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
