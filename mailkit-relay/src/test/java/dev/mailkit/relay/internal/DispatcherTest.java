package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link Dispatcher}'s rules with sessions the test controls: connection limits per destination and in all, a new
 * job handed to an idle session before a new one is started, sessions that end after their idle time, and close.
 */
class DispatcherTest {
    final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dispatcher-test-session");
        t.setDaemon(true);
        return t;
    });
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    /** Sessions started, running now (per destination and in all, with the highest seen), ended, jobs done. */
    int started;
    int ended;
    int running;
    int mostRunning;
    final Map<String, Integer> runningFor = new HashMap<>();
    final Map<String, Integer> mostRunningFor = new HashMap<>();
    final List<String> done = new ArrayList<>();
    final List<Thread> doneBy = new ArrayList<>();
    /** The destination each session was started for. */
    final Map<String, Dispatcher.Destination> sessionOf = new HashMap<>();
    /** While closed, sessions hold their job. */
    boolean gateOpen;
    int waitingAtGate;

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    static Job job(String destination, String id) {
        QueueFile.Meta meta = new QueueFile.Meta(id, Instant.EPOCH, null, Map.of(),
                List.of(MailAddress.parse("someone@" + destination)), List.of(), "test", false);
        return new Job(new StoredMessage(meta, StoredMessage.Location.file(Path.of(id + ".msg"), 0), 0),
                destination, new int[] {0});
    }

    /**
     * A dispatcher whose sessions take jobs as the relay's do: each job waits at the gate (while it is closed), is
     * recorded as done, and a session ends when no job came within {@code idle}.
     */
    Dispatcher dispatcher(int perDestination, int total, Duration idle) {
        Dispatcher[] self = new Dispatcher[1];
        self[0] = new Dispatcher(executor, perDestination, total, d -> {
            Dispatcher dispatcher = self[0];
            update(() -> {
                started++;
                running++;
                sessionOf.put(d.key, d);
                mostRunning = Math.max(mostRunning, running);
                runningFor.merge(d.key, 1, Integer::sum);
                mostRunningFor.merge(d.key, runningFor.get(d.key), Math::max);
            });
            try {
                Job j;
                while ((j = dispatcher.take(d, idle.toNanos())) != null) {
                    lock.lock();
                    try {
                        waitingAtGate++;
                        changed.signalAll();
                        while (!gateOpen) {
                            changed.awaitUninterruptibly();
                        }
                        waitingAtGate--;
                        done.add(j.message.id);
                        doneBy.add(Thread.currentThread());
                        changed.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            } finally {
                update(() -> {
                    running--;
                    runningFor.merge(d.key, -1, Integer::sum);
                });
                dispatcher.sessionEnded(d);
                update(() -> ended++);
            }
        });
        return self[0];
    }

    void update(Runnable r) {
        lock.lock();
        try {
            r.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void openGate() {
        update(() -> gateOpen = true);
    }

    /** Waits (at most 10 s) until the condition, read under the test's lock, holds. */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("not within 10 s: " + what + " (started " + started + ", running "
                            + running + ", done " + done + ")");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    @Test
    void aDestinationGetsNoMoreSessionsThanItsLimit() throws Exception {
        Dispatcher dispatcher = dispatcher(2, 10, Duration.ofMillis(100));
        for (int i = 1; i <= 5; i++) {
            dispatcher.submit(job("a.test", "A" + i));
        }
        await("two sessions hold a job each", () -> waitingAtGate == 2);
        // sessions start inside submit: what has not started by now never will for these jobs
        assertThat(locked(() -> started)).isEqualTo(2);
        assertThat(dispatcher.activeSessions()).isEqualTo(2);
        openGate();
        await("all five jobs done", () -> done.size() == 5);
        assertThat(locked(() -> done)).containsExactlyInAnyOrder("A1", "A2", "A3", "A4", "A5");
        assertThat(locked(() -> mostRunningFor.get("a.test"))).isEqualTo(2);
        assertThat(locked(() -> started)).isEqualTo(2); // the two sessions took the other jobs in turn
        dispatcher.close(1000);
    }

    @Test
    void allDestinationsTogetherGetNoMoreThanTheTotalLimitAndAFreedSlotGoesToAWaitingDestination()
            throws Exception {
        Dispatcher dispatcher = dispatcher(2, 3, Duration.ofMillis(50));
        for (String d : new String[] {"a.test", "b.test", "c.test"}) {
            dispatcher.submit(job(d, d + "-1"));
            dispatcher.submit(job(d, d + "-2"));
        }
        await("three sessions hold a job each", () -> waitingAtGate == 3);
        assertThat(locked(() -> started)).isEqualTo(3);
        assertThat(locked(() -> runningFor.getOrDefault("c.test", 0))).as("c.test waits for a free slot").isZero();
        openGate();
        await("all six jobs done", () -> done.size() == 6);
        assertThat(locked(() -> mostRunning)).isEqualTo(3);
        assertThat(locked(() -> mostRunningFor.get("c.test"))).isPositive(); // served once a session ended
        await("every session ended after its idle time", () -> ended == started);
        assertThat(dispatcher.activeSessions()).isZero();
        dispatcher.close(1000);
    }

    @Test
    void aNewJobGoesToAnIdleSessionInsteadOfANewOne() throws Exception {
        Dispatcher dispatcher = dispatcher(5, 10, Duration.ofSeconds(30));
        openGate();
        dispatcher.submit(job("a.test", "A1"));
        await("the first job done", () -> done.size() == 1);
        Thread session = locked(() -> doneBy.get(0));
        // idle: parked in take(), waiting for the destination's next job
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (session.getState() != Thread.State.TIMED_WAITING) {
            assertThat(System.nanoTime()).as("the session goes idle").isLessThan(deadline);
            Thread.onSpinWait();
        }
        dispatcher.submit(job("a.test", "A2"));
        await("the second job done", () -> done.size() == 2);
        assertThat(locked(() -> started)).isEqualTo(1);
        assertThat(locked(() -> doneBy.get(1))).isSameAs(session);
        dispatcher.close(1000);
    }

    @Test
    void aSessionEndsAfterItsIdleTimeAndTheNextJobStartsANewOne() throws Exception {
        Dispatcher dispatcher = dispatcher(5, 10, Duration.ofMillis(200));
        openGate();
        long t0 = System.nanoTime();
        dispatcher.submit(job("a.test", "A1"));
        await("the session ended", () -> ended == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(dispatcher.activeSessions()).isZero();
        dispatcher.submit(job("a.test", "A2"));
        await("the second job done", () -> done.size() == 2);
        assertThat(locked(() -> started)).isEqualTo(2);
        dispatcher.close(1000);
    }

    @Test
    void drainTakesWhatWaitsAndCloseEndsIdleSessionsAndStartsNoMore() throws Exception {
        Dispatcher dispatcher = dispatcher(1, 10, Duration.ofSeconds(30));
        dispatcher.submit(job("a.test", "A1"));
        dispatcher.submit(job("a.test", "A2"));
        dispatcher.submit(job("a.test", "A3"));
        await("the session holds the first job", () -> waitingAtGate == 1);
        assertThat(dispatcher.drain(locked(() -> sessionOf.get("a.test")))).extracting(j -> j.message.id)
                .containsExactly("A2", "A3");
        openGate();
        await("the first job done", () -> done.size() == 1);
        int before = locked(() -> started);
        long t0 = System.nanoTime();
        dispatcher.close(5000);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the idle session woke up").isLessThan(
                Duration.ofSeconds(5));
        await("the session ended", () -> ended == started);
        dispatcher.submit(job("b.test", "B1"));
        assertThat(locked(() -> started)).isEqualTo(before);
        assertThat(dispatcher.isClosed()).isTrue();
    }
}
