package dev.mailkit.core.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs servers' accept loops on one JVM-wide pool of daemon platform threads, so that starting and stopping a server
 * reuses a parked thread instead of creating one and waiting for the operating system to start and end it. A test
 * suite that starts SMTP, IMAP and POP3 servers for every test method notices: a thread's creation and end is most
 * of what a server's start and stop cost.
 *
 * <p>A thread whose loop has ended is back in the pool before {@link Running#awaitEnd} returns, so a server started
 * right after another one stopped gets that thread: starting and stopping servers one after another never creates
 * more threads than run at once. While it runs a loop, a pool thread carries the loop's name (e.g.
 * {@code mailkit-imap-1143-accept}); between loops it is called {@code mailkit-acceptor-N}, and after 10 seconds
 * without work it ends. An exception that escapes a loop goes to the thread's uncaught-exception handler and the
 * thread stays in the pool. Thread-safe.
 */
public final class AcceptLoops {
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Idle workers, the most recently used first (its stack and caches are warm). */
    private static final ConcurrentLinkedDeque<Worker> IDLE = new ConcurrentLinkedDeque<>();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private AcceptLoops() {
    }

    /**
     * Runs {@code loop} on a pool thread named {@code name} until the loop returns. The loop must return once its
     * server socket is closed.
     *
     * @return a handle to wait for the loop's end with
     */
    public static Running start(String name, Runnable loop) {
        Running r = new Running(Objects.requireNonNull(name, "name"), Objects.requireNonNull(loop, "loop"));
        Worker w = IDLE.pollFirst();
        if (w != null) {
            w.assign(r);
        } else {
            new Worker(r).start();
        }
        return r;
    }

    /** A loop started by {@link AcceptLoops#start}. Thread-safe. */
    public static final class Running {
        private final String name;
        private final Runnable loop;
        private final CountDownLatch ended = new CountDownLatch(1);

        private Running(String name, Runnable loop) {
            this.name = name;
            this.loop = loop;
        }

        /**
         * Waits until the loop has returned and its thread is back in the pool, at most {@code timeout}.
         *
         * @return whether the loop ended in time
         */
        public boolean awaitEnd(Duration timeout) {
            try {
                return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ended.getCount() == 0;
            }
        }
    }

    /** A pool thread: runs its loop, goes back to the pool, waits for the next loop or ends after 10 s idle. */
    private static final class Worker extends Thread {
        private volatile Running task;

        Worker(Running first) {
            super("mailkit-acceptor-" + THREADS.incrementAndGet());
            setDaemon(true);
            this.task = first;
        }

        void assign(Running r) {
            task = r;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            String idleName = getName();
            while (true) {
                Running r = task;
                setName(r.name);
                try {
                    r.loop.run();
                } catch (Throwable t) { // the loop's own failure: report it, keep the thread for the pool
                    getUncaughtExceptionHandler().uncaughtException(this, t);
                } finally {
                    setName(idleName);
                    task = null;
                    IDLE.addFirst(this); // before the end is signalled: the next start() finds this thread
                    r.ended.countDown();
                }
                if (!awaitTask()) {
                    return;
                }
            }
        }

        /** Parks until a loop is assigned (true) or 10 s pass with this thread still idle (false: it ends). */
        private boolean awaitTask() {
            Thread.interrupted(); // an interrupt meant for the last loop must not make the waits below spin
            long deadline = System.nanoTime() + IDLE_NANOS;
            while (task == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (IDLE.removeFirstOccurrence(this)) {
                        return false;
                    }
                    // a start() took this thread from the pool and is about to assign its loop
                    while (task == null) {
                        LockSupport.park(this);
                    }
                    return true;
                }
                LockSupport.parkNanos(this, left);
            }
            return true;
        }
    }
}
