package dev.mailkit.examples;

import dev.mailkit.examples.ClusterNodes.Node;
import dev.mailkit.postgres.PostgresCluster;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fault tests on PostgreSQL ({@code PostgresFaultIT}, {@code PostgresQueueFaultIT}) share, registered with
 * {@code @RegisterExtension}: runnable-server nodes in their own JVMs ({@link ClusterNodes#start}) on one schema of the
 * test cluster, each with a data directory (and its {@code stderr.log}) of its own, stopped after each test (the
 * directories deleted, or kept and named on the standard output when the test failed); load
 * (client threads repeating one SMTP transaction until stopped, keeping the subjects acknowledged with 250 and every
 * reply); waiting for a condition with a time-out; signals to a node's JVM ({@code kill -STOP}, ...). Not
 * thread-safe (one test at a time).
 */
final class ClusterFixture implements AfterEachCallback {
    private final List<Node> nodes = new ArrayList<>();
    private Path dir;

    /** One SMTP transaction with the subject to the node's port; the reply to the end of DATA (or a refusal). */
    @FunctionalInterface
    interface Transaction {
        String send(int port, String subject) throws IOException;
    }

    /** A condition to wait for. */
    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Client threads sending to one node. */
    static final class Load {
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Thread> threads = new ArrayList<>();

        /** Stops the senders and waits for them. */
        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    /** Starts a node named {@code name} on {@code schema}, with more server options. */
    Node node(String name, String schema, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--db-schema", schema));
        args.addAll(List.of(extra));
        Node n = ClusterNodes.start(name, PostgresCluster.get().jdbcUrl(), Files.createDirectories(data(name)),
                args.toArray(String[]::new));
        nodes.add(n);
        return n;
    }

    /** The data directory of the node {@code name} (its {@code stderr.log} is there). */
    Path data(String name) throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("mailkit-cluster");
        }
        return dir.resolve(name);
    }

    /** {@code threads} clients sending to {@code n}, subjects "PREFIX THREAD-N", until {@link Load#stop()}. */
    static Load load(Node n, String prefix, int threads, Transaction transaction) {
        Load load = new Load();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                for (int i = 0; !load.stop.get(); i++) {
                    String subject = prefix + " " + id + "-" + i;
                    try {
                        String r = transaction.send(n.smtp(), subject);
                        load.replies.add(r);
                        if (r.startsWith("250")) {
                            load.acked.add(subject);
                        }
                    } catch (IOException e) {
                        load.replies.add("io: " + e.getMessage());
                    }
                }
            }, "load-" + prefix + "-" + t);
            th.start();
            load.threads.add(th);
        }
        return load;
    }

    /** Waits until {@code check} holds, failing after {@code seconds}. */
    static void await(String what, long seconds, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.ok()) {
            assertThat(System.nanoTime()).as("waited %d s for %s", seconds, what).isLessThan(deadline);
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends a signal ({@code STOP}, {@code CONT}, ...) to the node's JVM. */
    static void signal(String signal, Node n) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(n.process().pid())).inheritIO().start();
        assertThat(kill.waitFor(20, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s", signal).isTrue();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        for (Node n : nodes) {
            ClusterNodes.stop(n);
        }
        nodes.clear();
        if (dir != null && context.getExecutionException().isPresent()) {
            System.out.println("ClusterFixture: the failed test's node directories (stderr.log) are kept in " + dir);
            dir = null;
        } else if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
            dir = null;
        }
    }
}
