package dev.mailkit.relay;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.RecipientPolicy;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.smtp.SmtpTesting;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.testsupport.RawClient;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SMTP server with a relay: who may relay (authenticated submission users, trusted networks), who may not
 * (everyone else, whatever address tricks they try), and that {@code 250} means both copies are durable.
 */
class SmtpRelayTest {
    static final TlsConfig TLS = TlsConfig.selfSigned();

    @TempDir
    Path dir;

    /** A remote mail server for remote.test on 127.0.0.1 (a free port) and a relay queue that delivers there. */
    final class Remote implements AutoCloseable {
        final InMemorySink sink = new InMemorySink();
        final SmtpServer server;
        final RelayQueue queue;

        Remote() throws IOException {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            server = SmtpServer.builder().mx(port).acceptAllDomains().sink(sink).build().start();
            queue = RelayQueue.builder(dir.resolve("queue")).mxPort(port).resolver(StaticDnsResolver.builder()
                    .mx("remote.test", 10, "mx.remote.test").address("mx.remote.test", "127.0.0.1")
                    .mx("local.test", 10, "mx.remote.test").build()).build().start();
        }

        @Override
        public void close() {
            queue.close();
            server.close();
        }
    }

    static SmtpServer.Builder submission(InMemorySink local, RelayQueue relay) {
        return SmtpTesting.mx(local).submission(0).users(SmtpTesting.users()).requireTlsForLogin(false)
                .relay(relay);
    }

    static String auth(RawClient c, String user, String pw) throws IOException {
        return c.command("AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + pw).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void authenticatedSubmissionRelaysRemoteRecipientsAndStoresLocalOnes() throws Exception {
        InMemorySink local = new InMemorySink();
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).submission(0).users(SmtpTesting.users()).requireTlsForLogin(false)
                     .relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port(SmtpRole.SUBMISSION))) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(auth(c, "alice@local.test", "alice-secret")).startsWith("235");
            c.command("MAIL FROM:<alice@local.test>");
            assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("250 2.1.5");
            assertThat(c.command("RCPT TO:<friend@remote.test>")).isEqualTo("250 2.1.5 Recipient <friend@remote.test> "
                    + "OK (relayed)");
            c.command("DATA");
            c.send("Subject: to both\r\n\r\nhello\r\n.\r\n");
            assertThat(c.readReply()).matches("250 2\\.0\\.0 Ok: queued as \\w+ \\(relay queue id \\w+\\)");
            assertThat(c.command("QUIT")).startsWith("221");
            ReceivedMessage mine = SmtpTesting.await(local, 1).get(0);
            assertThat(mine.envelope().recipients()).extracting(Object::toString).containsExactly("bob@local.test");
            assertThat(remote.sink.await(1, Duration.ofSeconds(10))).isTrue();
            ReceivedMessage theirs = remote.sink.messages().get(0);
            assertThat(theirs.envelope().recipients()).extracting(Object::toString)
                    .containsExactly("friend@remote.test");
            assertThat(theirs.envelope().reversePathString()).isEqualTo("<alice@local.test>");
            assertThat(theirs.source().asString()).contains("Received: from client.test").contains("Subject: to both");
        }
    }

    @Test
    void jakartaMailSubmitsOverStarttlsWithAuthAndTheMailIsRelayed() throws Exception {
        InMemorySink local = new InMemorySink();
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).submission(0).users(SmtpTesting.users()).tls(TLS)
                     .relay(remote.queue).build().start()) {
            Properties p = new Properties();
            p.put("mail.smtp.host", "localhost");
            p.put("mail.smtp.port", String.valueOf(s.port(SmtpRole.SUBMISSION)));
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.socketFactory", TLS.clientSslContext().getSocketFactory());
            p.put("mail.smtp.ssl.checkserveridentity", "true");
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.connectiontimeout", "5000");
            p.put("mail.smtp.timeout", "5000");
            p.put("mail.smtp.writetimeout", "5000");
            Session session = Session.getInstance(p);
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("bob@local.test"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("someone@remote.test"));
            m.setSubject("out into the world");
            m.setText("hello\n");
            try (Transport t = session.getTransport("smtp")) {
                t.connect("bob@local.test", "bob-secret");
                t.sendMessage(m, m.getAllRecipients());
            }
            assertThat(remote.sink.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(remote.sink.messages().get(0).source().mimeMessage().getSubject())
                    .isEqualTo("out into the world");
            assertThat(local.count()).isZero();
        }
    }

    @Test
    void theQueueHoldsTheMessageDurablyWhenTheClientHears250() throws Exception {
        InMemorySink local = new InMemorySink();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort(); // nothing will listen here: the message stays queued
        }
        try (RelayQueue q = RelayQueue.builder(dir.resolve("queue")).mxPort(closedPort)
                .resolver(StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                        .address("mx.remote.test", "127.0.0.1").build()).build().start();
             SmtpServer s = SmtpTesting.mx(local).trustedNetworks("127.0.0.0/8").relay(q).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<someone@local.test>");
            c.command("RCPT TO:<far@remote.test>");
            c.command("DATA");
            c.send("Subject: durable\r\n\r\nx\r\n.\r\n");
            String reply = c.readReply();
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            String id = reply.substring(reply.indexOf("relay queue id ") + 15, reply.length() - 1);
            assertThat(q.entry(id)).isPresent();
            assertThat(local.count()).isZero();
            q.close();
        }
        // what the client was told is queued is on disk: a new queue on the directory finds it
        // (the same unreachable MX: if the first queue closed before its attempt was recorded, the new one tries at
        // once, and a refused connection keeps the message queued; a domain without MX would bounce it away)
        try (RelayQueue again = RelayQueue.builder(dir.resolve("queue")).mxPort(closedPort)
                .resolver(StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                        .address("mx.remote.test", "127.0.0.1").build()).build().start()) {
            List<QueueEntry> queued = again.list();
            assertThat(queued).hasSize(1);
            assertThat(queued.get(0).recipients().get(0).address().toString()).isEqualTo("far@remote.test");
        }
    }

    @Test
    void trustedNetworksMayRelayOnTheMxPort() throws Exception {
        InMemorySink local = new InMemorySink();
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).trustedNetworks("10.0.0.0/8", "127.0.0.0/8", "::1")
                     .relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO app.test");
            c.command("MAIL FROM:<app@local.test>");
            assertThat(c.command("RCPT TO:<user@remote.test>")).startsWith("250 2.1.5");
            c.command("DATA");
            c.send("Subject: from a trusted host\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250 2.0.0");
            assertThat(remote.sink.await(1, Duration.ofSeconds(10))).isTrue();
        }
    }

    /** An untrusted MX client cannot relay, whatever form the address takes, even with a relay configured. */
    @ParameterizedTest
    @ValueSource(strings = {
            "<user@remote.test>", "<user%remote.test@local.test>", "<\"user@remote.test\"@local.test>",
            "<@local.test:user@remote.test>", "<remote.test!user@local.test>", "<user@[192.0.2.1]>",
            "<user@[127.0.0.1]>", "<user@REMOTE.test>", "<user@local.test.remote.test>", "<user@remote.test.>",
            "<USER@Remote.Test>", "<user@[IPv6:::1]>"})
    void untrustedMxClientsCannotRelay(String rcpt) throws Exception {
        InMemorySink local = new InMemorySink();
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).recipientPolicy(RecipientPolicy.existingUsers(SmtpTesting.users()))
                     .trustedNetworks("10.0.0.0/8", "192.168.0.0/16").relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO attacker.test");
            c.command("MAIL FROM:<a@remote.test>");
            assertThat(c.command("RCPT TO:" + rcpt)).matches("(554 5\\.7\\.1|550 5\\.1\\.1|501 5\\.1\\.3) .*");
            assertThat(c.command("DATA")).isEqualTo("554 5.5.1 No valid recipients");
            assertThat(remote.queue.size()).isZero();
        }
        assertThat(local.count()).isZero();
    }

    /** With optionalAuth() (an internal relay), a user who logs in on the MX port may relay; anyone else may not. */
    @Test
    void optionalAuthOnMxRelaysOnlyForAuthenticatedUsers() throws Exception {
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(new InMemorySink()).users(SmtpTesting.users()).optionalAuth()
                     .requireTlsForLogin(false).relay(remote.queue).build().start()) {
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<a@remote.test>");
                assertThat(c.command("RCPT TO:<x@remote.test>")).startsWith("554 5.7.1");
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(auth(c, "alice@local.test", "alice-secret")).startsWith("235");
                c.command("MAIL FROM:<alice@local.test>");
                assertThat(c.command("RCPT TO:<x@remote.test>")).startsWith("250 2.1.5");
                c.command("DATA");
                c.send("Subject: internal relay\r\n\r\nx\r\n.\r\n");
                assertThat(c.readReply()).startsWith("250 2.0.0");
            }
            assertThat(remote.sink.await(1, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void aSubmissionUserWhoDidNotAuthenticateCannotEvenStart() throws Exception {
        try (Remote remote = new Remote();
             SmtpServer s = submission(new InMemorySink(), remote.queue).build().start();
             RawClient c = new RawClient(s.port(SmtpRole.SUBMISSION))) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@local.test>")).startsWith("530 5.7.0");
            assertThat(c.command("RCPT TO:<x@remote.test>")).startsWith("503");
        }
    }

    @Test
    void withoutARelayEvenAuthenticatedUsersCannotSendOut() throws Exception {
        try (SmtpServer s = SmtpServer.builder().localDomains("local.test").submission(0).users(SmtpTesting.users())
                .requireTlsForLogin(false).sink(new InMemorySink()).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            auth(c, "alice@local.test", "alice-secret");
            c.command("MAIL FROM:<alice@local.test>");
            assertThat(c.command("RCPT TO:<x@remote.test>")).isEqualTo("554 5.7.1 <x@remote.test>: Relay access denied");
        }
    }

    /**
     * An alias in a local domain that points outside does not make the server an open relay: the message for the alias
     * goes to the local sink (whose delivery agent decides about forwarding), never into the relay queue, and the
     * alias's target cannot be named directly.
     */
    @Test
    void anAliasPointingOutsideIsNoWayToRelay() throws Exception {
        InMemorySink local = new InMemorySink();
        RecipientPolicy aliases = (session, r) -> r.lookupKey().equals("alias@local.test") ? Optional.empty()
                : Optional.of(SmtpReply.of(550, "5.1.1", "no such user"));
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).recipientPolicy(aliases).relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO attacker.test");
            c.command("MAIL FROM:<a@evil.test>");
            assertThat(c.command("RCPT TO:<target@remote.test>")).startsWith("554 5.7.1");
            assertThat(c.command("RCPT TO:<alias@local.test>")).startsWith("250");
            c.command("DATA");
            c.send("Subject: via alias\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).startsWith("250 2.0.0").doesNotContain("relay queue id");
            assertThat(SmtpTesting.await(local, 1).get(0).envelope().recipients()).extracting(Object::toString)
                    .containsExactly("alias@local.test");
            assertThat(remote.queue.size()).isZero();
            assertThat(remote.sink.count()).isZero();
        }
    }

    @Test
    void ifTheLocalSinkFailsTheRelayCopyIsDiscardedAndTheClientRetries() throws Exception {
        MessageSink failing = new MessageSink() {
            @Override
            public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
                throw new IOException("disk full");
            }
        };
        try (Remote remote = new Remote();
             SmtpServer s = SmtpServer.builder().localDomains("local.test").submission(0).users(SmtpTesting.users())
                     .requireTlsForLogin(false).sink(failing).relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            auth(c, "alice@local.test", "alice-secret");
            c.command("MAIL FROM:<alice@local.test>");
            c.command("RCPT TO:<bob@local.test>");
            c.command("RCPT TO:<x@remote.test>");
            c.command("DATA");
            c.send("Subject: all or nothing\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).startsWith("451 4.3.0");
            assertThat(remote.queue.size()).isZero();
            try (Stream<Path> files = Files.list(remote.queue.directory())) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .noneMatch(n -> n.endsWith(".msg") || n.endsWith(".tmp"));
            }
        }
    }

    @Test
    void ifTheRelayQueueCannotTakeTheMessageNothingIsStoredLocally() throws Exception {
        InMemorySink local = new InMemorySink();
        Remote remote = new Remote();
        try (SmtpServer s = submission(local, remote.queue).build().start();
             RawClient c = new RawClient(s.port(SmtpRole.SUBMISSION))) {
            remote.queue.close();
            c.readReply();
            c.command("EHLO client.test");
            auth(c, "alice@local.test", "alice-secret");
            c.command("MAIL FROM:<alice@local.test>");
            c.command("RCPT TO:<bob@local.test>");
            c.command("RCPT TO:<x@remote.test>");
            c.command("DATA");
            c.send("Subject: all or nothing\r\n\r\nx\r\n.\r\n");
            assertThat(c.readReply()).startsWith("451 4.3.0");
        } finally {
            remote.close();
        }
        assertThat(local.count()).isZero();
    }

    /** A message that has passed more than 50 servers is looping: the relay refuses it (554 5.4.6), as Postfix does. */
    @Test
    void mailLoopsAreRefused() throws Exception {
        InMemorySink local = new InMemorySink();
        try (Remote remote = new Remote();
             SmtpServer s = SmtpTesting.mx(local).trustedNetworks("127.0.0.0/8").relay(remote.queue).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO looping.test");
            c.command("MAIL FROM:<a@local.test>");
            c.command("RCPT TO:<far@remote.test>");
            c.command("DATA");
            StringBuilder m = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                m.append("Received: from hop").append(i).append(" by hop").append(i + 1).append("; 1 Jan 2030\r\n");
            }
            c.send(m + "Subject: around and around\r\n\r\nx\r\n.\r\n"); // mailkit's own Received makes 51
            assertThat(c.readReply()).isEqualTo("554 5.4.6 Too many hops: mail loop detected");
            assertThat(remote.queue.size()).isZero();
        }
    }

    @Test
    void configurationMistakesAreExplained() {
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).trustedNetworks("127.0.0.0/8").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("add relay(queue)");
        assertThatThrownBy(() -> SmtpServer.builder().trustedNetworks("127.0.0.1/8"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did you mean 127.0.0.0/8?");
        assertThatThrownBy(() -> SmtpServer.builder().trustedNetworks("example.com/24"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> SmtpServer.builder().trustedNetworks("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..32");
    }
}
