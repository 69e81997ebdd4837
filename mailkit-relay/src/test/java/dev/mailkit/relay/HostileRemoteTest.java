package dev.mailkit.relay;

import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Remote servers that misbehave: what they send must never reach a header, a log line or the wire unescaped. */
class HostileRemoteTest {
    @TempDir
    Path dir;

    final EventLog events = new EventLog();

    /** One connection's conversation, scripted by the test. */
    interface Script {
        void run(Conversation c) throws IOException;
    }

    static final class Conversation {
        final InputStream in;
        final OutputStream out;

        Conversation(Socket s) throws IOException {
            this.in = s.getInputStream();
            this.out = s.getOutputStream();
        }

        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                b.write(c);
            }
            if (c == -1 && b.size() == 0) {
                throw new IOException("closed");
            }
            return b.toString(StandardCharsets.UTF_8).replace("\r", "");
        }

        /** Answers EHLO with the given extensions, then reads commands until one matches the prefix. */
        void ehlo(String... extensions) throws IOException {
            send("220 hostile.test ESMTP\r\n");
            readLine();
            StringBuilder sb = new StringBuilder("250-hostile.test\r\n");
            for (String e : extensions) {
                sb.append("250-").append(e).append("\r\n");
            }
            send(sb.append("250 8BITMIME\r\n").toString());
        }
    }

    /** A server on a loopback address that runs the script for each connection. */
    static final class Scripted implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();

        Scripted(int port, Script script) throws IOException {
            server = new ServerSocket(port, 50, Peers.loopback(1));
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        Thread h = new Thread(() -> {
                            try (s) {
                                script.run(new Conversation(s));
                            } catch (IOException ignored) {
                                // the client went away
                            }
                        });
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    RelayQueue.Builder queue(int port) {
        return RelayQueue.builder(dir).mxPort(port).onEvent(events).resolver(StaticDnsResolver.builder()
                .mx("remote.test", 10, "mx.remote.test").address("mx.remote.test", "127.0.0.1")
                .mx("origin.test", 10, "mx.origin.test").address("mx.origin.test", "127.0.0.2").build());
    }

    static Envelope envelope() {
        return Envelope.builder().reversePath("sender@origin.test").recipient("rcpt@remote.test").build();
    }

    static byte[] message() {
        return "From: sender@origin.test\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void controlCharactersInARemoteReplyNeverBecomeHeaderLines() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        String evil = "550 5.1.1 no\rX-Injected: yes\u0000\u001b[31m";
        try (Scripted remote = new Scripted(port, c -> {
            c.ehlo("PIPELINING");
            c.readLine(); // MAIL
            c.readLine(); // RCPT
            c.readLine(); // DATA
            c.send("250 2.1.0 ok\r\n" + evil + "\r\n554 5.5.1 no valid recipients\r\n");
            c.readLine(); // RSET
            c.send("250 ok\r\n");
            c.readLine();
            c.send("221 bye\r\n");
        }); SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).build().start()) {
            q.submit(envelope(), message());
            RelayEvent e = events.await(RelayEvent.Type.BOUNCED);
            assertThat(e.reply()).containsExactly("550 5.1.1 no\\x0DX-Injected: yes\\x00\\x1B[31m");
            assertThat(e.toString()).doesNotContain("\r").doesNotContain("\u0000");
            assertThat(senderMailbox.await(1, Duration.ofSeconds(10))).isTrue();
            String dsn = senderMailbox.messages().get(0).source().asString();
            assertThat(dsn).doesNotContain("\r\nX-Injected").doesNotContain("\u0000").doesNotContain("\u001b");
            assertThat(dsn.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
            MimeMultipart mp = (MimeMultipart) senderMailbox.messages().get(0).source().mimeMessage().getContent();
            String fields = RelaySmtpSinkTest.read(mp.getBodyPart(1).getInputStream());
            assertThat(fields).contains("Diagnostic-Code: smtp; 550 5.1.1 no\\x0DX-Injected: yes\\x00\\x1B[31m\r\n");
        }
    }

    @Test
    void plaintextSentAfterTheStarttlsReplyIsAnAttackAndTheConnectionIsNotUsed() throws Exception {
        int port = Peers.freePort();
        try (Scripted remote = new Scripted(port, c -> {
            c.ehlo("STARTTLS");
            c.readLine(); // STARTTLS
            c.send("220 2.0.0 go ahead\r\n250-injected\r\n250 ok\r\n"); // data that would be read as if encrypted
            c.readLine();
        }); RelayQueue q = queue(port).build().start()) {
            q.submit(envelope(), message());
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.detail()).contains("sent data after its STARTTLS reply");
            assertThat(e.status()).contains("4.7.0");
        }
    }

    @Test
    void malformedRepliesDeferTheMessage() throws Exception {
        int port = Peers.freePort();
        try (Scripted remote = new Scripted(port, c -> {
            c.send("220 fine\r\n");
            c.readLine();
            c.send("hello there\r\n");
            c.readLine();
        }); RelayQueue q = queue(port).build().start()) {
            q.submit(envelope(), message());
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.detail()).contains("malformed reply").contains("hello there");
        }
    }

    @Test
    void aServerThatStopsReadingTimesOut() throws Exception {
        int port = Peers.freePort();
        try (Scripted remote = new Scripted(port, c -> {
            c.ehlo();
            c.readLine();
            c.send("250 ok\r\n");
            c.readLine();
            c.send("250 ok\r\n");
            c.readLine();
            c.send("354 go on\r\n");
            try {
                Thread.sleep(60_000); // never reads the data: the client's writes block until its deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); RelayQueue q = queue(port).dataTimeout(Duration.ofSeconds(1)).build().start()) {
            byte[] big = new byte[8 * 1024 * 1024];
            Arrays.fill(big, (byte) 'x');
            for (int i = 100; i < big.length; i += 100) {
                big[i - 1] = '\n';
            }
            long t0 = System.nanoTime();
            q.submit(envelope(), big);
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.detail()).contains("timed out while sending end of DATA");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aServerThatAcceptsDataWithoutRecipientsIsGivenNothing() throws Exception {
        int port = Peers.freePort();
        ByteArrayOutputStream after = new ByteArrayOutputStream();
        try (Scripted remote = new Scripted(port, c -> {
            c.ehlo("PIPELINING");
            c.readLine();
            c.readLine();
            c.readLine();
            c.send("250 ok\r\n550 5.1.1 unknown\r\n354 send it anyway\r\n");
            c.in.transferTo(after); // whatever the client still sends
        }); RelayQueue q = queue(port).build().start()) {
            q.submit(envelope(), message());
            RelayEvent e = events.await(RelayEvent.Type.BOUNCED);
            assertThat(e.reply()).containsExactly("550 5.1.1 unknown");
        }
        assertThat(after.toString(StandardCharsets.UTF_8)).doesNotContain("body");
    }

    /**
     * A 3xx is no acknowledgment of the content (RFC 5321: only 250 after the final dot is): the message is deferred
     * with 4.5.0, not counted as delivered with an invented status 3.0.0 (RFC 3463 has no class 3).
     */
    @Test
    void aServerThatAnswersTheContentWithA3xxHasNotTakenIt() throws Exception {
        int port = Peers.freePort();
        try (Scripted remote = new Scripted(port, c -> {
            c.ehlo();
            c.readLine(); // MAIL
            c.send("250 ok\r\n");
            c.readLine(); // RCPT
            c.send("250 ok\r\n");
            c.readLine(); // DATA
            c.send("354 go on\r\n");
            while (!c.readLine().equals(".")) {
                // the content
            }
            c.send("354 more please\r\n");
            while (true) {
                c.readLine(); // RSET or QUIT, until the client closes
                c.send("250 ok\r\n");
            }
        }); RelayQueue q = queue(port).build().start()) {
            q.submit(envelope(), message());
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.status()).contains("4.5.0");
            assertThat(e.reply()).containsExactly("354 more please");
            assertThat(events.of(RelayEvent.Type.DELIVERED)).isEmpty();
        }
    }
}
