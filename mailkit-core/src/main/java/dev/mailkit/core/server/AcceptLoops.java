package dev.mailkit.core.server;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs servers' accept loops on one JVM-wide pool of daemon platform threads, so that starting and stopping a server
 * reuses a parked thread instead of creating one and waiting for the operating system to start and end it. A test
 * suite that starts SMTP, IMAP and POP3 servers for every test method notices: a thread's creation and end is most
 * of what a server's start and stop cost.
 *
 * <p>While it runs a loop, a pool thread carries the loop's name (e.g. {@code mailkit-imap-1143-accept}); between
 * loops it is called {@code mailkit-acceptor-N}, and after 10 seconds without work it ends. Thread-safe.
 */
public final class AcceptLoops {
    private static final long IDLE_SECONDS = 10;
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS,
            TimeUnit.SECONDS, new SynchronousQueue<>(), ServerExecutors.platformFactory("mailkit-acceptor-"));

    private AcceptLoops() {
    }

    /**
     * Runs {@code loop} on a pool thread named {@code name} until the loop returns. The loop must return once its
     * server socket is closed.
     *
     * @return a handle to wait for the loop's end with
     */
    public static Running start(String name, Runnable loop) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        Running r = new Running();
        POOL.execute(new Task(name, loop, r));
        return r;
    }

    /** A loop under its name (a class rather than a lambda: each lambda costs a JVM's first start a generated class). */
    private static final class Task implements Runnable {
        private final String name;
        private final Runnable loop;
        private final Running running;

        Task(String name, Runnable loop, Running running) {
            this.name = name;
            this.loop = loop;
            this.running = running;
        }

        @Override
        public void run() {
            Thread t = Thread.currentThread();
            String idleName = t.getName();
            t.setName(name);
            try {
                loop.run();
            } finally {
                t.setName(idleName);
                running.ended.countDown();
            }
        }
    }

    /** A loop started by {@link AcceptLoops#start}. Thread-safe. */
    public static final class Running {
        private final CountDownLatch ended = new CountDownLatch(1);

        private Running() {
        }

        /**
         * Waits until the loop has returned (and its thread has its idle name again), at most {@code timeout}.
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
}
