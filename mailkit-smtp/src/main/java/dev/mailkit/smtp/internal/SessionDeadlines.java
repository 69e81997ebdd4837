package dev.mailkit.smtp.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces an SMTP server's session deadline on all its listeners: a daemon thread, started when the first session
 * arrives (a server nobody uses costs no thread), checks every listener's sessions a few times per deadline period
 * and closes the ones that are past it. Checking periodically rather than scheduling a timer per session spares every
 * connection a hand-off. Thread-safe.
 */
public final class SessionDeadlines {
    private final Duration timeout;
    private final List<SmtpListener> listeners;
    private volatile boolean stopped;
    private volatile Thread thread;

    /**
     * @param timeout   the longest a session may last, or null for no deadline (then nothing is ever started)
     * @param listeners the server's listeners (read when the thread runs, so they may be added after this)
     */
    public SessionDeadlines(Duration timeout, List<SmtpListener> listeners) {
        this.timeout = timeout;
        this.listeners = listeners;
    }

    /** Called for every new session: starts the thread for the first one. */
    void sessionStarted() {
        if (timeout != null && thread == null) {
            synchronized (this) {
                if (thread == null && !stopped) {
                    Thread t = new Thread(this::run, "mailkit-smtp-deadlines");
                    t.setDaemon(true);
                    t.start();
                    thread = t;
                }
            }
        }
    }

    /** Stops the thread, if it runs. Idempotent. */
    public void stop() {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        long nanos = timeout.toNanos();
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(TimeUnit.SECONDS.toNanos(1), nanos / 4));
        while (!stopped) {
            LockSupport.parkNanos(tick);
            if (Thread.interrupted()) {
                return;
            }
            long now = System.nanoTime();
            for (SmtpListener l : listeners) {
                l.closeExpired(now, nanos);
            }
        }
    }
}
