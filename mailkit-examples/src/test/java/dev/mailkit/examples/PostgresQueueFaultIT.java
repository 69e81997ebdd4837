package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.examples.ClusterNodes.Client;
import dev.mailkit.examples.ClusterNodes.Node;
import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.mailkit.examples.ClusterFixture.await;
import static dev.mailkit.examples.ClusterFixture.signal;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay queue in PostgreSQL under a node's death: two runnable-server nodes (own JVMs, {@code --store postgres},
 * a 3 s {@code --queue-lease}) relay under load through a smart host, a mailkit receiver in this JVM that counts
 * what it gets per recipient and holds every transaction at the end of DATA until the test opens its gate, so the
 * nodes build up queues. One node is killed with {@code kill -9}; the other claims its messages once the lease has run
 * out and delivers them. Every recipient of every acknowledged message arrives, and exactly once, apart from the
 * recipients of the transactions that were in flight at the kill (held in the sink: SMTP cannot avoid sending those
 * again); their number is counted and printed. The same with a node paused ({@code kill -STOP}) past its lease instead
 * of killed: once resumed, it is fenced off what the other node claimed. Nodes and load from {@link ClusterFixture}.
 */
class PostgresQueueFaultIT {
    private static final List<String> RCPTS = List.of("a@remote.test", "b@remote.test", "c@remote.test");

    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    /** The remote MX: counts deliveries per "subject recipient"; holds each one while the gate is closed. */
    static final class CountingSink implements MessageSink {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final AtomicInteger held = new AtomicInteger();
        /** Recipients held at the end of DATA, by subject prefix (the node the test sent the message to). */
        final Map<String, AtomicInteger> heldRecipients = new ConcurrentHashMap<>();
        final CountDownLatch gate = new CountDownLatch(1);
        private static final Pattern SUBJECT = Pattern.compile("(?m)^Subject: (\\S+ \\d+-\\d+)\r?$");

        @Override
        public DeliveryReport deliver(Envelope envelope, MessageSource message) {
            String subject;
            try (InputStream in = message.openStream()) {
                Matcher m = SUBJECT.matcher(new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1));
                subject = m.find() ? m.group(1) : "?";
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            held.incrementAndGet();
            AtomicInteger mine = heldRecipients.computeIfAbsent(subject.split(" ")[0], k -> new AtomicInteger());
            mine.addAndGet(envelope.recipients().size());
            try {
                gate.await(120, TimeUnit.SECONDS); // a slow remote server: the transaction waits at the end of DATA
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                held.decrementAndGet();
                mine.addAndGet(-envelope.recipients().size());
            }
            envelope.recipients().forEach(r -> counts.computeIfAbsent(subject + " " + r, k -> new AtomicInteger())
                    .incrementAndGet());
            return DeliveryReport.allDelivered(envelope.transactionId());
        }
    }

    private Node node(String name, String schema, int sinkPort) throws IOException {
        return cluster.node(name, schema, "--queue-lease", "3", "--relay-host", "127.0.0.1:" + sinkPort,
                "--trusted-network", "127.0.0.0/8");
    }

    /** Sends one message to the three remote recipients; the reply to DATA (or the first refusal). */
    static String relay(int port, String subject) throws IOException {
        try (Client c = new Client("127.0.0.2", port)) {
            String greeting = c.reply();
            if (!greeting.startsWith("220")) {
                return greeting;
            }
            c.smtp("EHLO client.example");
            c.smtp("MAIL FROM:<sender@local.test>");
            for (String r : RCPTS) {
                String reply = c.smtp("RCPT TO:<" + r + ">");
                if (!reply.startsWith("250")) {
                    return reply;
                }
            }
            String r = c.smtp("DATA");
            if (!r.startsWith("354")) {
                return r;
            }
            r = c.smtp("Subject: " + subject + "\r\nFrom: sender@local.test\r\n\r\nbody of " + subject + "\r\n.");
            c.smtp("QUIT");
            return r;
        }
    }

    private static int queued(String schema) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().jdbcUrl());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".mk_queue_message")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aKilledNodesQueueIsDeliveredByTheOtherNodeOncePerRecipient() throws Exception {
        CountingSink sink = new CountingSink();
        try (SmtpServer mx = SmtpServer.builder().bindAddress(InetAddress.getLoopbackAddress()).mx(0)
                .acceptAllDomains().sink(sink).authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            String schema = PostgresCluster.get().newSchema();
            Node victim = node("qvictim", schema, mx.port());
            Node survivor = node("qsurvivor", schema, mx.port());
            ClusterFixture.Load toVictim = ClusterFixture.load(victim, "victim", 2, PostgresQueueFaultIT::relay);
            ClusterFixture.Load toSurvivor = ClusterFixture.load(survivor, "survivor", 2, PostgresQueueFaultIT::relay);
            Set<String> ackedVictim = toVictim.acked;
            Set<String> ackedSurvivor = toSurvivor.acked;
            await("60 messages acknowledged by the node to kill (replies: " + toVictim.replies.size() + ")", 120,
                    () -> ackedVictim.size() >= 60 && ackedSurvivor.size() >= 10);
            victim.process().toHandle().destroyForcibly(); // SIGKILL, with transactions held in the sink
            assertThat(victim.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            // the killed node's transactions waiting at the end of DATA: the receiver has the message, the node never
            // heard its 250
            int inFlightRecipients = sink.heldRecipients.getOrDefault("victim", new AtomicInteger()).get();
            toVictim.stop();
            toSurvivor.stop();
            int backlog = queued(schema);
            sink.gate.countDown();
            List<String> expected = new ArrayList<>();
            for (String s : ackedVictim) {
                RCPTS.forEach(r -> expected.add(s + " " + r));
            }
            for (String s : ackedSurvivor) {
                RCPTS.forEach(r -> expected.add(s + " " + r));
            }
            await("every acknowledged recipient delivered", 120,
                    () -> expected.stream().allMatch(sink.counts::containsKey));
            await("the queue in the database emptied", 60, () -> queued(schema) == 0);
            int twice = 0;
            for (String k : expected) {
                int n = sink.counts.get(k).get();
                assertThat(n).as("deliveries of %s", k).isBetween(1, 2);
                if (n == 2) {
                    twice++;
                }
            }
            System.out.printf("PostgresQueueFaultIT: %d + %d messages acknowledged (%d recipients), %d queued in "
                            + "the database at the kill, %d recipients in flight at the kill, %d delivered twice%n",
                    ackedVictim.size(), ackedSurvivor.size(), expected.size(), backlog, inFlightRecipients, twice);
            assertThat(backlog).as("the killed node left a queue behind").isGreaterThan(0);
            assertThat(twice).as("only recipients in flight at the kill are sent twice")
                    .isLessThanOrEqualTo(inFlightRecipients);
        }
    }

    private static int owned(String schema, String node) throws Exception {
        try (Connection c = DriverManager.getConnection(PostgresCluster.get().jdbcUrl());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".mk_queue_message WHERE owner = '"
                     + node + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The queue ids the node logged as lost to another node (the relay's warning when the storage fences it). */
    private static Set<String> lostLeases(Path data) throws IOException {
        Set<String> ids = new java.util.HashSet<>();
        Matcher m = Pattern.compile("(\\S+): this node lost its lease")
                .matcher(Files.readString(data.resolve("stderr.log"), StandardCharsets.UTF_8));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /**
     * Fencing: a node stopped ({@code kill -STOP}) for longer than its lease, with transactions held at the remote
     * server and more messages waiting in its memory, loses them to the other node, which claims them (new lease
     * epoch) and delivers them. Once resumed ({@code kill -CONT}) the paused node sends none of the messages it no
     * longer holds (the read of the content before a delivery is refused) and records no result for them (every
     * write is refused); it forgets them. Only the transactions it had in flight at the pause arrive twice.
     */
    @Test
    void aNodePausedLongerThanItsLeaseNeitherDeliversNorRecordsWhatAnotherNodeClaimed() throws Exception {
        CountingSink sink = new CountingSink();
        try (SmtpServer mx = SmtpServer.builder().bindAddress(InetAddress.getLoopbackAddress()).mx(0)
                .acceptAllDomains().sink(sink).authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            String schema = PostgresCluster.get().newSchema();
            Node paused = node("ppaused", schema, mx.port());
            Node other = node("pother", schema, mx.port());
            ClusterFixture.Load load = ClusterFixture.load(paused, "paused", 2, PostgresQueueFaultIT::relay);
            Set<String> acked = load.acked;
            // the remote server holds every transaction: 20 in flight (the connections to one destination), the rest
            // of the node's queue waits in its memory
            await("50 messages acknowledged by the node to pause (replies: " + load.replies.size() + ")", 120,
                    () -> acked.size() >= 50);
            load.stop();
            await("the node's transactions held by the remote server", 60,
                    () -> sink.heldRecipients.getOrDefault("paused", new AtomicInteger()).get() > 0);
            Path pausedData = cluster.data("ppaused");
            signal("STOP", paused);
            int inFlightRecipients;
            int held;
            try {
                inFlightRecipients = sink.heldRecipients.get("paused").get();
                held = owned(schema, "ppaused");
                await("the other node claimed the paused node's messages", 60,
                        () -> owned(schema, "ppaused") == 0 && owned(schema, "pother") >= held);
            } finally {
                signal("CONT", paused);
            }
            int waiting = held - inFlightRecipients / RCPTS.size();
            assertThat(waiting).as("messages waiting in the paused node's memory, not in flight").isPositive();
            sink.gate.countDown();
            List<String> expected = new ArrayList<>();
            for (String s : acked) {
                RCPTS.forEach(r -> expected.add(s + " " + r));
            }
            await("every acknowledged recipient delivered", 120,
                    () -> expected.stream().allMatch(sink.counts::containsKey));
            await("the queue in the database emptied", 60, () -> queued(schema) == 0);
            await("the resumed node found that it lost its lease on the " + waiting + " messages it had waiting", 120,
                    () -> lostLeases(pausedData).size() >= waiting);
            int twice = 0;
            for (String k : expected) {
                int n = sink.counts.get(k).get();
                assertThat(n).as("deliveries of %s", k).isBetween(1, 2);
                if (n == 2) {
                    twice++;
                }
            }
            System.out.printf("PostgresQueueFaultIT: %d messages acknowledged by the paused node, %d held by it at "
                            + "the pause (%d recipients in flight), %d found lost after it resumed, %d recipients "
                            + "delivered twice%n", acked.size(), held, inFlightRecipients,
                    lostLeases(pausedData).size(), twice);
            assertThat(twice).as("only recipients in flight at the pause are sent twice")
                    .isLessThanOrEqualTo(inFlightRecipients);
            assertThat(sink.counts.keySet()).as("nothing but the acknowledged recipients").hasSize(expected.size());
        }
    }
}
