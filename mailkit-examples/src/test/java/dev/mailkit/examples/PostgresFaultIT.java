package dev.mailkit.examples;

import dev.mailkit.examples.ClusterNodes.Client;
import dev.mailkit.examples.ClusterNodes.Node;
import dev.mailkit.postgres.PostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults under load, with runnable-server nodes in their own JVMs on one real PostgreSQL: a node killed with
 * {@code kill -9} while four clients send to it loses no message it acknowledged (another node serves every one of
 * them, once), and PostgreSQL stopped and started again while clients work: SMTP answers 4xx, IMAP {@code NO
 * [UNAVAILABLE]}, POP3 {@code -ERR [SYS/TEMP]}, never a permanent failure, nothing acknowledged is lost, and the same
 * nodes (not restarted) serve again once the database is back. Nodes and load from {@link ClusterFixture}.
 */
class PostgresFaultIT {
    @RegisterExtension
    final ClusterFixture cluster = new ClusterFixture();

    private Node node(String name, String schema) throws IOException {
        return cluster.node(name, schema);
    }

    /** Four clients send to {@code n} until stopped. */
    private static ClusterFixture.Load load(Node n, String prefix) {
        return ClusterFixture.load(n, prefix, 4,
                (port, subject) -> ClusterNodes.sendMail("127.0.0.2", port, "rcpt@local.test", subject));
    }

    /** The subjects in rcpt's INBOX with their number of copies, read over IMAP on {@code n}. */
    private static Map<String, Integer> inbox(Node n, String prefix) throws IOException {
        try (Client imap = Client.imap("127.0.0.2", n.imap(), "rcpt@local.test")) {
            assertThat(imap.imap("b SELECT INBOX")).contains("b OK");
            String all = imap.imap("c FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            Map<String, Integer> seen = new HashMap<>();
            Matcher m = Pattern.compile("Subject: (" + Pattern.quote(prefix) + " \\d+-\\d+)").matcher(all);
            while (m.find()) {
                seen.merge(m.group(1), 1, Integer::sum);
            }
            return seen;
        }
    }

    @Test
    void aNodeKilledUnderSmtpLoadLosesNoAcknowledgedMessage() throws Exception {
        String schema = PostgresCluster.get().newSchema();
        Node victim = node("victim", schema);
        Node reader = node("reader", schema);
        ClusterFixture.Load load = load(victim, "kill");
        Set<String> acked = load.acked;
        ConcurrentLinkedQueue<String> replies = load.replies;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < 40 && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
        }
        assertThat(acked).as("replies before the kill: %s", replies).hasSizeGreaterThanOrEqualTo(40);
        victim.process().toHandle().destroyForcibly(); // SIGKILL, in the middle of transactions
        assertThat(victim.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
        load.stop();
        Set<String> ackedAtEnd = Set.copyOf(acked);
        Map<String, Integer> stored = inbox(reader, "kill");
        assertThat(stored.keySet()).as("every acknowledged message is served by the other node")
                .containsAll(ackedAtEnd);
        assertThat(stored.values()).as("and stored once").allMatch(c -> c == 1);
    }

    @Test
    void postgresStoppedAndStartedUnderLoadGivesTemporaryFailuresLosesNothingAndTheNodesRecover() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String schema = pg.newSchema();
        Node mx = node("mx", schema);
        Node reader = node("reader2", schema);
        // a session that stays logged in over the outage
        Client imap = Client.imap("127.0.0.2", reader.imap(), "rcpt@local.test");
        ClusterFixture.Load load = load(mx, "outage");
        Set<String> acked = load.acked;
        ConcurrentLinkedQueue<String> replies = load.replies;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < 20 && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(20);
        pg.stopServer();
        List<String> duringOutage = new ArrayList<>();
        String imapReply;
        String imapLogin;
        String pop3Reply;
        int temporary;
        try {
            replies.clear();
            // SMTP: the clients keep sending; wait for temporary failures
            AtomicInteger seen = new AtomicInteger();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                seen.set((int) replies.stream().filter(r -> r.startsWith("4")).count());
                if (seen.get() >= 4) {
                    break;
                }
                new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
            }
            temporary = seen.get();
            duringOutage.addAll(replies);
            imapReply = imap.imap("s1 SELECT INBOX");
            try (Client fresh = new Client("127.0.0.2", reader.imap())) {
                fresh.line();
                fresh.imap("t0 STARTTLS");
                fresh.startTls();
                imapLogin = fresh.imap("t1 LOGIN rcpt@local.test pw");
            }
            try (Client pop = new Client("127.0.0.2", reader.pop3())) {
                pop.line();
                pop.send("STLS");
                pop.line();
                pop.startTls();
                pop.send("USER rcpt@local.test");
                pop.line();
                pop.send("PASS pw");
                pop3Reply = pop.line();
            }
        } finally {
            pg.startServer();
        }
        assertThat(temporary).as("SMTP replies while the database was down: %s", duringOutage)
                .isGreaterThanOrEqualTo(4);
        assertThat(duringOutage).as("never a permanent failure").noneMatch(r -> r.startsWith("5"));
        assertThat(imapReply).as("IMAP while the database was down").contains("s1 NO [UNAVAILABLE]");
        assertThat(imapLogin).as("IMAP LOGIN while the database was down").contains("t1 NO [UNAVAILABLE]");
        assertThat(pop3Reply).as("POP3 while the database was down").startsWith("-ERR [SYS/TEMP]");
        // the same nodes serve again by themselves
        int before = acked.size();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < before + 20 && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(20, TimeUnit.MILLISECONDS);
        }
        load.stop();
        assertThat(acked.size()).as("deliveries after the database came back").isGreaterThanOrEqualTo(before + 20);
        String again = imap.imap("s2 SELECT INBOX");
        imap.close();
        assertThat(again).as("the session that lived through the outage").contains("s2 OK");
        Map<String, Integer> stored = inbox(reader, "outage");
        assertThat(stored.keySet()).as("every acknowledged message is there").containsAll(Set.copyOf(acked));
        assertThat(stored.values()).as("once").allMatch(c -> c == 1);
    }
}
