package dev.mailkit.core.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM-wide pool of accept-loop threads: reuse, names, concurrency, failures. */
class AcceptLoopsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final AtomicReference<Throwable> reported = new AtomicReference<>();

    @Test
    void loopsStartedOneAfterAnotherShareOneThreadThatCarriesEachLoopsName() {
        Set<Thread> threads = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            AcceptLoops.Running r = AcceptLoops.start("loop-" + i, () -> {
                threads.add(Thread.currentThread());
                names.add(Thread.currentThread().getName());
            });
            assertThat(r.awaitEnd(WAIT)).isTrue();
        }
        assertThat(threads).hasSize(1);
        assertThat(names).hasSize(50).startsWith("loop-0", "loop-1").endsWith("loop-49");
        Thread t = threads.iterator().next();
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).startsWith("mailkit-acceptor-"); // its idle name again
    }

    @Test
    void loopsRunningAtTheSameTimeEachHaveTheirOwnThread() throws Exception {
        int n = 5;
        CountDownLatch allRunning = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<AcceptLoops.Running> loops = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            loops.add(AcceptLoops.start("parallel-" + i, () -> {
                threads.add(Thread.currentThread());
                allRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        assertThat(allRunning.await(10, TimeUnit.SECONDS)).as("every loop runs at once").isTrue();
        assertThat(loops.get(0).awaitEnd(Duration.ofMillis(1))).as("a running loop has not ended").isFalse();
        release.countDown();
        for (AcceptLoops.Running r : loops) {
            assertThat(r.awaitEnd(WAIT)).isTrue();
        }
        assertThat(threads).hasSize(n);
    }

    @Test
    void aLoopThatThrowsIsReportedAndItsThreadServesTheNextLoop() {
        AtomicReference<Thread> first = new AtomicReference<>();
        AcceptLoops.Running failing = AcceptLoops.start("failing", () -> {
            Thread t = Thread.currentThread();
            first.set(t);
            t.setUncaughtExceptionHandler((th, e) -> reported.set(e));
            throw new IllegalStateException("boom");
        });
        assertThat(failing.awaitEnd(WAIT)).isTrue();
        assertThat(reported.get()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        AtomicReference<Thread> second = new AtomicReference<>();
        AcceptLoops.Running next = AcceptLoops.start("next", () -> second.set(Thread.currentThread()));
        assertThat(next.awaitEnd(WAIT)).isTrue();
        assertThat(second.get()).isSameAs(first.get());
        first.get().setUncaughtExceptionHandler(null);
    }

    @Test
    void anInterruptLeftByALoopDoesNotReachTheNextOne() {
        AcceptLoops.Running r = AcceptLoops.start("interrupted", () -> Thread.currentThread().interrupt());
        assertThat(r.awaitEnd(WAIT)).isTrue();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        AcceptLoops.Running next = AcceptLoops.start("next", () -> interrupted.set(Thread.currentThread().isInterrupted()));
        assertThat(next.awaitEnd(WAIT)).isTrue();
        assertThat(interrupted.get()).isFalse();
    }
}
