package dev.mailkit.examples;

import dev.mailkit.examples.ClusterNodes.Client;
import dev.mailkit.examples.ClusterNodes.Node;
import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three runnable-server nodes, each its own JVM, on one real PostgreSQL database ({@code --store postgres}), and
 * HAProxy in front of two of them sending the PROXY protocol: what one node takes in, the others serve; an IDLE
 * session on one node hears a delivery on another within 200 ms; concurrent deliveries through two nodes never share
 * a UID; the client's own address reaches the {@code Received:} field through the load balancer, and IMAP's and POP3's
 * per-address connection limits count the client behind the load balancer, not the balancer; a Sieve script uploaded
 * over ManageSieve on one node files a delivery on another. (The long fault runs are in
 * {@code bench/postgres-cluster.sh}.)
 */
class PostgresClusterIT {
    /** The nodes' limit of connections from one client address, per server. */
    static final int PER_ADDRESS = 5;
    @TempDir
    static Path dir;
    static Node n1;
    static Node n2;
    static Node n3;

    @BeforeAll
    static void startNodes() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String schema = pg.newSchema();
        String url = pg.jdbcUrl();
        // each run takes a schema of its own (production uses the default, mailkit)
        Node[] nodes = new Node[3];
        for (int i = 0; i < 3; i++) {
            Path data = Files.createDirectories(dir.resolve("n" + (i + 1)));
            nodes[i] = ClusterNodes.start("n" + (i + 1), url, data, "--proxy-protocol-from", "127.0.0.1/32",
                    "--db-schema", schema, "--max-connections-per-address", Integer.toString(PER_ADDRESS));
            // set as each starts, so that stopNodes stops those that did if a later one does not
            n1 = nodes[0];
            n2 = nodes[1];
            n3 = nodes[2];
        }
    }

    @AfterAll
    static void stopNodes() throws InterruptedException {
        for (Node n : new Node[] {n1, n2, n3}) {
            if (n != null) {
                ClusterNodes.stop(n);
            }
        }
    }

    @Test
    void mailSentToOneNodeIsReadOverImapOnAnotherAndPop3OnTheThird() throws Exception {
        assertThat(ClusterNodes.sendMail("127.0.0.2", n1.smtp(), "other@local.test", "across nodes"))
                .startsWith("250");
        try (Client imap = Client.imap("127.0.0.2", n2.imap(), "other@local.test")) {
            assertThat(imap.imap("b SELECT INBOX")).contains("* 1 EXISTS");
            assertThat(imap.imap("c FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).contains("Subject: across nodes");
        }
        try (Client pop = Client.pop3("127.0.0.2", n3.pop3(), "other@local.test")) {
            assertThat(pop.pop3Multi("RETR 1")).contains("Subject: across nodes").contains("body of across nodes");
            pop.send("QUIT");
            assertThat(pop.line()).startsWith("+OK");
        }
    }

    @Test
    void idleOnOneNodeHearsADeliveryOnAnotherWithin200Milliseconds() throws Exception {
        try (Client imap = Client.imap("127.0.0.2", n2.imap(), "rcpt@local.test")) {
            String selected = imap.imap("b SELECT INBOX");
            Matcher m = Pattern.compile("\\* (\\d+) EXISTS").matcher(selected);
            assertThat(m.find()).isTrue();
            int exists = Integer.parseInt(m.group(1));
            List<Long> latencies = new ArrayList<>();
            imap.send("c IDLE");
            assertThat(imap.line()).startsWith("+ ");
            for (int i = 0; i < 5; i++) {
                long[] acked = new long[1]; // when node 1's 250 arrived: the delivery was committed by then
                String r = ClusterNodes.sendMail("127.0.0.2", n1.smtp(), "rcpt@local.test", "idle " + i, acked);
                assertThat(r).startsWith("250");
                exists++;
                String line;
                do {
                    line = imap.line();
                } while (line != null && !line.equals("* " + exists + " EXISTS"));
                latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acked[0]));
                assertThat(line).isEqualTo("* " + exists + " EXISTS");
            }
            imap.send("DONE");
            latencies.sort(null);
            assertThat(latencies.get(2)).as("median ms from node 1's 250 to node 2's EXISTS: %s", latencies)
                    .isLessThan(200);
        }
    }

    @Test
    void concurrentDeliveriesThroughTwoNodesNeverShareAUid() throws Exception {
        int each = 15;
        ConcurrentLinkedQueue<String> replies = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new ArrayList<>();
        for (Node n : List.of(n1, n2)) {
            for (int t = 0; t < 2; t++) {
                String id = n.name() + "-" + t;
                Thread th = new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        try {
                            replies.add(ClusterNodes.sendMail("127.0.0.2", n.smtp(), "other@local.test",
                                    "uid " + id + " " + i));
                        } catch (IOException e) {
                            replies.add(e.toString());
                        }
                    }
                });
                th.start();
                senders.add(th);
            }
        }
        for (Thread th : senders) {
            th.join(120_000);
        }
        assertThat(replies).hasSize(4 * each).allMatch(r -> r.startsWith("250"));
        try (Client imap = Client.imap("127.0.0.2", n3.imap(), "other@local.test")) {
            imap.imap("b SELECT INBOX");
            String all = imap.imap("c UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            Matcher uid = Pattern.compile("UID (\\d+)").matcher(all);
            Set<String> uids = new HashSet<>();
            int fetched = 0;
            while (uid.find()) {
                uids.add(uid.group(1));
                fetched++;
            }
            assertThat(fetched).isEqualTo(uids.size());
            int concurrent = all.split("Subject: uid ", -1).length - 1;
            assertThat(concurrent).as("every delivery through either node is there once").isEqualTo(4 * each);
        }
    }

    @Test
    void haproxyInFrontOfTwoNodesPassesTheClientsAddressThrough() throws Exception {
        Path haproxy = ExternalTool.require("haproxy");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "  maxconn 200",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend smtp",
                "  bind 127.0.0.1:" + port,
                "  default_backend nodes",
                "backend nodes",
                "  balance roundrobin",
                "  source 127.0.0.1",
                "  server n1 127.0.0.1:" + n1.smtp() + " send-proxy-v2",
                "  server n2 127.0.0.1:" + n2.smtp() + " send-proxy",
                ""));
        Process lb = new ProcessBuilder(haproxy.toString(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        try {
            awaitPort(port);
            for (int i = 0; i < 4; i++) {
                assertThat(ClusterNodes.sendMail("127.0.0.7", port, "rcpt@local.test", "through haproxy " + i))
                        .startsWith("250");
            }
            try (Client imap = Client.imap("127.0.0.2", n3.imap(), "rcpt@local.test")) {
                imap.imap("b SELECT INBOX");
                String found = imap.imap("c SEARCH SUBJECT \"through haproxy\"");
                Matcher m = Pattern.compile("\\* SEARCH ((\\d+ ?)+)").matcher(found);
                assertThat(m.find()).as(found).isTrue();
                String[] seqs = m.group(1).trim().split(" ");
                assertThat(seqs).hasSize(4);
                String headers = imap.imap("d FETCH " + String.join(",", seqs)
                        + " (BODY.PEEK[HEADER.FIELDS (RECEIVED)])");
                assertThat(headers.split("\\[127\\.0\\.0\\.7]", -1)).as(headers).hasSize(5);
                assertThat(headers).doesNotContain("[127.0.0.1]");
            }
        } finally {
            lb.destroy();
            lb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSieveScriptUploadedOverManageSieveOnOneNodeFiltersADeliveryOnAnother() throws Exception {
        String script = "require [\"fileinto\", \"mailbox\"];\r\nif header :contains \"subject\" \"[filtered]\" {\r\n"
                + "  fileinto :create \"Filtered\";\r\n}\r\n";
        try (Client sieve = Client.manageSieve("127.0.0.2", n1.manageSieve(), "sieve@local.test")) {
            int octets = script.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            assertThat(sieve.sieve("PUTSCRIPT \"filter\" {" + octets + "+}\r\n" + script)).startsWith("OK");
            assertThat(sieve.sieve("SETACTIVE \"filter\"")).startsWith("OK");
        }
        try (Client sieve = Client.manageSieve("127.0.0.2", n3.manageSieve(), "sieve@local.test")) {
            assertThat(sieve.sieve("LISTSCRIPTS")).as("node 3 sees node 1's script").contains("\"filter\" ACTIVE");
            assertThat(sieve.sieve("GETSCRIPT \"filter\"")).contains("fileinto :create \"Filtered\"");
        }
        assertThat(ClusterNodes.sendMail("127.0.0.2", n2.smtp(), "sieve@local.test", "[filtered] by node 1's script"))
                .startsWith("250");
        assertThat(ClusterNodes.sendMail("127.0.0.2", n2.smtp(), "sieve@local.test", "not for the filter"))
                .startsWith("250");
        try (Client imap = Client.imap("127.0.0.2", n3.imap(), "sieve@local.test")) {
            String filtered = imap.imap("b SELECT Filtered");
            assertThat(filtered).contains("* 1 EXISTS").contains("b OK");
            assertThat(imap.imap("c FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
                    .contains("Subject: [filtered] by node 1's script");
            String inbox = imap.imap("d SELECT INBOX");
            assertThat(inbox).contains("* 1 EXISTS");
            assertThat(imap.imap("e FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")).contains("not for the filter");
        }
    }

    @Test
    void imapAndPop3BehindHaproxyCountConnectionsByTheClientsAddressNotTheBalancers() throws Exception {
        Path haproxy = ExternalTool.require("haproxy");
        int imapPort;
        int pop3Port;
        try (ServerSocket s = new ServerSocket(0); ServerSocket t = new ServerSocket(0)) {
            imapPort = s.getLocalPort();
            pop3Port = t.getLocalPort();
        }
        Path cfg = dir.resolve("haproxy-imap-pop3.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "  maxconn 200",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend imap",
                "  bind 127.0.0.1:" + imapPort,
                "  default_backend imap",
                "frontend pop3",
                "  bind 127.0.0.1:" + pop3Port,
                "  default_backend pop3",
                "backend imap",
                "  source 127.0.0.1",
                "  server n1 127.0.0.1:" + n1.imap() + " send-proxy-v2",
                "backend pop3",
                "  source 127.0.0.1",
                "  server n2 127.0.0.1:" + n2.pop3() + " send-proxy",
                ""));
        Process lb = new ProcessBuilder(haproxy.toString(), "-f", cfg.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy-imap-pop3.log").toFile()).start();
        List<Client> open = new ArrayList<>();
        try {
            awaitPort(imapPort);
            awaitPort(pop3Port);
            // the client 127.0.0.7 fills its allowance on each server; every connection arrives from 127.0.0.1
            for (int i = 0; i < PER_ADDRESS; i++) {
                Client imap = new Client("127.0.0.7", imapPort);
                open.add(imap);
                assertThat(imap.line()).startsWith("* OK");
                Client pop = new Client("127.0.0.7", pop3Port);
                open.add(pop);
                assertThat(pop.line()).startsWith("+OK");
            }
            try (Client over = new Client("127.0.0.7", imapPort)) {
                assertThat(over.line()).isEqualTo("* BYE [UNAVAILABLE] Too many connections, try again later");
            }
            try (Client over = new Client("127.0.0.7", pop3Port)) {
                assertThat(over.line()).isEqualTo("-ERR [SYS/TEMP] Too many connections, try again later");
            }
            // another client through the same balancer is not counted with the first one
            try (Client other = new Client("127.0.0.8", imapPort)) {
                assertThat(other.line()).startsWith("* OK");
                assertThat(other.imap("a STARTTLS")).contains("a OK");
                other.startTls();
                assertThat(other.imap("b LOGIN rcpt@local.test pw")).contains("b OK");
                assertThat(other.imap("c SELECT INBOX")).contains("c OK");
            }
            try (Client other = new Client("127.0.0.8", pop3Port)) {
                assertThat(other.line()).startsWith("+OK");
                other.send("STLS");
                assertThat(other.line()).startsWith("+OK");
                other.startTls();
                other.send("USER other@local.test");
                assertThat(other.line()).startsWith("+OK");
                other.send("PASS pw");
                assertThat(other.line()).startsWith("+OK");
            }
        } finally {
            for (Client c : open) {
                c.close();
            }
            lb.destroy();
            lb.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("haproxy did not listen on " + port + "; see haproxy.log");
                }
                new java.util.concurrent.CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
            }
        }
    }
}
