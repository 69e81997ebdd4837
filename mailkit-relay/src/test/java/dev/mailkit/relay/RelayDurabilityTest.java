package dev.mailkit.relay;

import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.MailAddress;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.relay.internal.QueueFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} during a relay run: a child JVM receives mail over SMTP and relays it; it is killed while messages
 * arrive and deliveries are in flight, then restarted on the same queue directory. Every message that got {@code 250}
 * must reach the remote server for each recipient, and every recipient the queue had recorded as delivered must get
 * it exactly once. (A recipient whose delivery was in flight at the kill - the remote said 250, the record was not yet
 * on disk - may get it twice, as with any MTA; there can be no more of those than transactions in flight.)
 */
class RelayDurabilityTest {
    @TempDir
    Path dir;

    /** Defers "later@" for its first 60 RCPTs, so that some messages are half delivered when the child dies. */
    static final class DeferSome implements MailFilter {
        final AtomicInteger later = new AtomicInteger();

        @Override
        public FilterVerdict onRcptTo(SessionInfo s, MailAddress rcpt, Map<String, String> params) {
            if (rcpt.localPart().equals("later") && later.incrementAndGet() <= 60) {
                return FilterVerdict.tempFail(451, "4.3.0", "try later");
            }
            return FilterVerdict.accept();
        }
    }

    Process child(Path queue, int remotePort) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RelayChild.class.getName(), queue.toString(), String.valueOf(remotePort))
                .redirectError(dir.resolve("child-" + System.nanoTime() + ".err").toFile()).start();
        return p;
    }

    /** The child's "ready PORT RECOVERED" line, split. */
    static int[] awaitReady(BufferedReader r) throws IOException {
        String line = r.readLine();
        if (line == null || !line.startsWith("ready ")) {
            throw new AssertionError("the child did not start: " + line);
        }
        String[] f = line.split(" ");
        return new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])};
    }

    static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void everyAcknowledgedMessageArrivesAndRecordedDeliveriesAreNeverRepeated() throws Exception {
        Path queue = dir.resolve("queue");
        InMemorySink remote = new InMemorySink();
        try (SmtpServer mx = SmtpServer.builder().mx(0).acceptAllDomains().filters(new DeferSome())
                .sink((e, m) -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a remote that takes its time
                    return remote.deliver(e, m);
                }).build().start()) {
            Process first = child(queue, mx.port());
            int port = awaitReady(output(first))[0];
            Set<Integer> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread c = new Thread(() -> submitUntilKilled(port, next, acked, stop));
                c.start();
                clients.add(c);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() < 200 || remote.count() < 40) {
                assertThat(System.nanoTime()).as("the child accepts and relays").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread c : clients) {
                c.join(10_000);
            }
            Set<String> recorded = recordedDeliveries(queue);

            Process second = child(queue, mx.port());
            BufferedReader status = output(second);
            int queuedAtKill = awaitReady(status)[1];
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.io.Writer ask = new java.io.OutputStreamWriter(second.getOutputStream(), StandardCharsets.US_ASCII);
            while (true) {
                ask.write("?\n");
                ask.flush();
                if (status.readLine().equals("queued 0")) {
                    break;
                }
                assertThat(System.nanoTime()).as("the restarted child empties the queue").isLessThan(until);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            second.getOutputStream().close(); // ends the child normally
            assertThat(second.waitFor(20, TimeUnit.SECONDS)).isTrue();

            Map<String, Integer> arrivals = new HashMap<>();
            for (ReceivedMessage m : remote.messages()) {
                String id = m.source().headers().getHeader("Message-ID", null);
                for (MailAddress r : m.envelope().recipients()) {
                    arrivals.merge(id + " " + r.localPart(), 1, Integer::sum);
                }
            }
            List<String> missing = new ArrayList<>();
            for (int n : acked) {
                for (String r : List.of("now", "later")) {
                    if (!arrivals.containsKey("<" + n + "@test> " + r)) {
                        missing.add(n + " " + r);
                    }
                }
            }
            assertThat(missing).as("acknowledged messages that never arrived").isEmpty();
            List<String> repeatedAfterRecord = new ArrayList<>();
            List<String> duplicates = new ArrayList<>();
            for (Map.Entry<String, Integer> a : arrivals.entrySet()) {
                if (a.getValue() > 1) {
                    duplicates.add(a.getKey());
                    if (recorded.contains(a.getKey())) {
                        repeatedAfterRecord.add(a.getKey());
                    }
                }
                assertThat(a.getValue()).as(a.getKey()).isLessThanOrEqualTo(2);
            }
            assertThat(repeatedAfterRecord).as("recipients recorded as delivered that got the message again")
                    .isEmpty();
            // at most the transactions in flight at the kill: 4 connections x 2 recipients
            assertThat(duplicates).as("deliveries in flight at the kill, sent again").hasSizeLessThanOrEqualTo(8);
            System.out.printf("kill -9 test: %d acknowledged, %d recovered after the kill, %d deliveries recorded, "
                    + "%d (message, recipient) pairs arrived, %d twice (in flight at the kill)%n", acked.size(),
                    queuedAtKill, recorded.size(), arrivals.size(), duplicates.size());
            assertThat(queuedAtKill).as("the kill left work for the restart").isPositive();
        }
    }

    /** Sends messages on one connection until the server dies; records the ones that got 250. */
    static void submitUntilKilled(int port, AtomicInteger next, Set<Integer> acked, AtomicBoolean stop) {
        try (dev.mailkit.testsupport.RawClient c = new dev.mailkit.testsupport.RawClient(port)) {
            c.readReply();
            c.command("EHLO submitter.test");
            while (!stop.get()) {
                int n = next.incrementAndGet();
                c.command("MAIL FROM:<s@child.test>");
                c.command("RCPT TO:<now@remote.test>");
                c.command("RCPT TO:<later@remote.test>");
                if (!c.command("DATA").startsWith("354")) {
                    return;
                }
                c.send("Message-ID: <" + n + "@test>\r\nSubject: " + n + "\r\n\r\nmessage " + n + "\r\n.\r\n");
                if (c.readReply().startsWith("250")) {
                    acked.add(n);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the child was killed
        }
    }

    /** "MESSAGE-ID localpart" for every recipient the queue files record as delivered. */
    static Set<String> recordedDeliveries(Path queue) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.list(queue)) {
            for (Path f : (Iterable<Path>) s.filter(p -> p.getFileName().toString().endsWith(".msg"))::iterator) {
                QueueFile.Parsed p = QueueFile.read(f);
                byte[] all = Files.readAllBytes(f);
                String content = new String(all, (int) p.contentOffset, (int) p.contentLength, StandardCharsets.UTF_8);
                String id = content.substring(content.indexOf("Message-ID: ") + 12, content.indexOf("\r\n",
                        content.indexOf("Message-ID: ")));
                for (String r : p.records) {
                    if (r.startsWith("D ")) {
                        int idx = Integer.parseInt(r.split(" ")[1]);
                        out.add(id + " " + p.meta.recipients.get(idx).localPart());
                    }
                }
            }
        }
        return out;
    }
}
