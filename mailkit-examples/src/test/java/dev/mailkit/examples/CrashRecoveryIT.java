package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Durability, end to end: the server jar (SMTP receiver, delivery agent, Maildir store) is killed with
 * {@code kill -9} in the middle of an SMTP load from several concurrent clients, then started again on the same data
 * directory. Every message that got {@code 250} must be there, for each of its recipients exactly once, and no file
 * in any mailbox may be partial (each message carries a digest of its body and an end marker).
 */
class CrashRecoveryIT {
    static final int CLIENTS = 8;
    static final int ACKED_BEFORE_KILL = 250;

    @TempDir
    Path data;

    private Process start(Path log) throws IOException {
        return new ProcessBuilder(ServerJarIT.java(), "-jar", ServerJarIT.JAR.toString(), "--smtp-port", "0",
                "--submission-port", "0", "--smtps-port", "0", "--imap-port", "0", "--imaps-port", "0",
                "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test",
                "--user", "rcpt@local.test:pw", "--user", "other@local.test:pw", "--data", data.toString())
                .redirectError(log.toFile()).start();
    }

    /** Reads the banner and returns the MX port; the rest of the output is drained in the background. */
    private static int mxPort(Process p) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder banner = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            banner.append(line).append('\n');
            if (line.contains("store ")) {
                break;
            }
        }
        Matcher mx = Pattern.compile("SMTP \\(MX\\)\\s+127\\.0\\.0\\.1:(\\d+)").matcher(banner);
        assertThat(mx.find()).as(banner.toString()).isTrue();
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // one line per message: not needed
                }
            } catch (IOException ignored) {
                // the process went away
            }
        });
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(mx.group(1));
    }

    static String digest(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String message(String id, int size) {
        StringBuilder body = new StringBuilder(size + 100);
        int line = 0;
        while (body.length() < size) {
            body.append(id).append(" line ").append(line++).append(" of the crash test load\r\n");
        }
        body.append("END ").append(id).append("\r\n");
        String b = body.toString();
        return "Subject: " + id + "\r\nX-Digest: " + digest(b) + "\r\n\r\n" + b;
    }

    @Test
    void everyAcknowledgedMessageSurvivesKillMinus9OnceAndWhole() throws Exception {
        Map<String, List<String>> acked = new ConcurrentHashMap<>();
        Process server = start(data.resolve("server1.log"));
        int port;
        try {
            port = mxPort(server);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger count = new AtomicInteger();
            CountDownLatch enough = new CountDownLatch(1);
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < CLIENTS; t++) {
                int client = t;
                Thread th = new Thread(() -> load(port, client, stop, acked, count, enough));
                th.start();
                clients.add(th);
            }
            assertThat(enough.await(120, TimeUnit.SECONDS)).as("%d messages acknowledged", count.get()).isTrue();
            server.destroyForcibly(); // SIGKILL, with deliveries under way
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread th : clients) {
                th.join(30_000);
            }
        } finally {
            server.destroyForcibly();
        }
        assertThat(acked.size()).isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);

        // the restarted server recovers the Maildir and takes mail again
        Process again = start(data.resolve("server2.log"));
        try {
            int port2 = mxPort(again);
            try (RawClient c = new RawClient(port2, Duration.ofSeconds(30))) {
                assertThat(c.readReply()).startsWith("220");
                c.command("EHLO client.test");
                c.command("MAIL FROM:<load@remote.test>");
                assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
                c.command("DATA");
                assertThat(c.command(message("after-restart", 100) + ".")).startsWith("250");
                acked.put("after-restart", List.of("rcpt"));
            }
            again.toHandle().destroy(); // SIGTERM: a clean stop
            assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            again.destroyForcibly();
        }

        // no partial file anywhere in new/ or cur/
        for (String user : List.of("rcpt", "other")) {
            for (String dir : List.of("new", "cur")) {
                try (Stream<Path> files = Files.list(data.resolve("local.test").resolve(user).resolve(dir))) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        assertThat(whole(Files.readString(f, StandardCharsets.US_ASCII))).as(f.toString()).isTrue();
                    }
                }
            }
        }
        // every acknowledged message, once per recipient
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            Map<String, Map<String, Integer>> found = new HashMap<>();
            for (String user : List.of("rcpt", "other")) {
                Map<String, Integer> ids = new HashMap<>();
                try (Mailbox inbox = store.account(MailAddress.parse(user + "@local.test")).open(MailboxName.INBOX);
                     MailboxView v = inbox.openView(ViewMode.READ_ONLY)) {
                    for (int seq = 1; seq <= v.messageCount(); seq++) {
                        try (MessageSource m = inbox.content(v.uid(seq)).orElseThrow()) {
                            String text = m.asString();
                            assertThat(whole(text)).isTrue();
                            String id = text.substring(text.indexOf("Subject: ") + 9, text.indexOf("\r\n",
                                    text.indexOf("Subject: ")));
                            ids.merge(id, 1, Integer::sum);
                        }
                    }
                }
                found.put(user, ids);
                assertThat(ids.values()).as("messages stored twice for %s", user).allMatch(n -> n == 1);
            }
            for (Map.Entry<String, List<String>> e : acked.entrySet()) {
                for (String user : e.getValue()) {
                    assertThat(found.get(user)).as("acknowledged %s for %s", e.getKey(), user)
                            .containsKey(e.getKey());
                }
            }
        }
    }

    /** Whether a stored message is complete: its end marker is there and its body matches its digest. */
    static boolean whole(String text) {
        int split = text.indexOf("\r\n\r\n");
        Matcher d = Pattern.compile("X-Digest: ([0-9a-f]{64})\r\n").matcher(text);
        if (split < 0 || !d.find()) {
            return false;
        }
        String body = text.substring(split + 4);
        return body.endsWith("\r\n") && body.contains("\r\nEND ") && digest(body).equals(d.group(1));
    }

    /** One client: messages over one connection until the server dies; records every 250. */
    private static void load(int port, int client, AtomicBoolean stop, Map<String, List<String>> acked,
                             AtomicInteger count, CountDownLatch enough) {
        int n = 0;
        while (!stop.get()) {
            try (RawClient c = new RawClient(port, Duration.ofSeconds(20))) {
                if (!c.readReply().startsWith("220")) {
                    return;
                }
                c.command("EHLO load" + client + ".test");
                while (!stop.get()) {
                    String id = "crash-" + client + "-" + n++;
                    boolean two = n % 3 == 0;
                    if (!c.command("MAIL FROM:<load@remote.test>").startsWith("250")
                            || !c.command("RCPT TO:<rcpt@local.test>").startsWith("250")
                            || (two && !c.command("RCPT TO:<other@local.test>").startsWith("250"))
                            || !c.command("DATA").startsWith("354")) {
                        return;
                    }
                    int size = 2_000 + (n * 7919 % 60_000);
                    String reply = c.command(message(id, size) + ".");
                    if (reply.startsWith("250")) {
                        acked.put(id, two ? List.of("rcpt", "other") : List.of("rcpt"));
                        if (count.incrementAndGet() == ACKED_BEFORE_KILL) {
                            enough.countDown();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                return; // the server was killed
            }
        }
    }
}
