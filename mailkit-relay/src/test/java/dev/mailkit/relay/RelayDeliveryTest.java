package dev.mailkit.relay;

import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.BareLineEndings;
import dev.mailkit.smtp.SmtpServer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery to mail exchangers and smart hosts, with mailkit's own receiver as the remote server. */
class RelayDeliveryTest {
    static final TlsConfig LOCALHOST_TLS = TlsConfig.selfSigned();

    @TempDir
    Path dir;

    static Envelope envelope(String from, String... to) {
        Envelope.Builder b = Envelope.builder().reversePath(from);
        for (String t : to) {
            b.recipient(t);
        }
        return b.build();
    }

    static byte[] message(String subject) {
        return ("From: a@origin.test\r\nTo: b@remote.test\r\nSubject: " + subject + "\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Counts sessions at a receiver (each connection calls onConnect once). */
    static final class Connections implements MailFilter {
        final Set<String> sessions = ConcurrentHashMap.newKeySet();
        final AtomicInteger connects = new AtomicInteger();

        @Override
        public FilterVerdict onConnect(SessionInfo s) {
            connects.incrementAndGet();
            sessions.add(s.sessionId());
            return FilterVerdict.accept();
        }
    }

    @Test
    void mxInPreferenceOrderWithFallbackToTheNextHost() throws Exception {
        int port = Peers.freePort();
        InMemorySink primary = new InMemorySink();
        InMemorySink backup = new InMemorySink();
        EventLog events = new EventLog();
        StaticDnsResolver dns = StaticDnsResolver.builder()
                .mx("remote.test", 20, "backup.remote.test").mx("remote.test", 10, "primary.remote.test")
                .address("primary.remote.test", "127.0.0.1").address("backup.remote.test", "127.0.0.2")
                .mx("down.test", 10, "dead.down.test").mx("down.test", 30, "backup.remote.test")
                .address("dead.down.test", "127.0.0.3")
                .build();
        try (SmtpServer p = Peers.receiver(primary, Peers.loopback(1), port).build().start();
             SmtpServer b = Peers.receiver(backup, Peers.loopback(2), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).onEvent(events).build().start()) {
            q.submit(envelope("a@origin.test", "x@remote.test"), message("preferred"));
            assertThat(primary.await(1, Duration.ofSeconds(10))).isTrue();
            // nothing listens on 127.0.0.3: the next MX (preference 30) gets it
            q.submit(envelope("a@origin.test", "y@down.test"), message("fallback"));
            assertThat(backup.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            assertThat(primary.count()).isEqualTo(1);
            assertThat(backup.messages().get(0).envelope().recipients()).extracting(Object::toString)
                    .containsExactly("y@down.test");
            RelayEvent fallback = events.await(e -> e.type() == RelayEvent.Type.DELIVERED
                    && e.recipients().toString().contains("y@down.test"), 1, Duration.ofSeconds(5)).get(0);
            assertThat(fallback.remoteHost()).contains("backup.remote.test");
            assertThat(fallback.remoteAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(fallback.reply()).hasSize(1);
            assertThat(fallback.reply().get(0)).startsWith("250 2.0.0 Ok: queued as ");
            assertThat(fallback.destination()).contains("down.test");
        }
    }

    @Test
    void equalPreferencesAreTriedInRandomOrder() throws Exception {
        int port = Peers.freePort();
        InMemorySink one = new InMemorySink();
        InMemorySink two = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder()
                .mx("remote.test", 10, "mx1.remote.test").mx("remote.test", 10, "mx2.remote.test")
                .address("mx1.remote.test", "127.0.0.1").address("mx2.remote.test", "127.0.0.2").build();
        try (SmtpServer a = Peers.receiver(one, Peers.loopback(1), port).build().start();
             SmtpServer b = Peers.receiver(two, Peers.loopback(2), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).random(new Random(42))
                     .maxConnectionsPerDestination(1).connectionIdleTime(Duration.ofMillis(1)).build().start()) {
            for (int i = 0; i < 16; i++) {
                q.submit(envelope("a@origin.test", "x@remote.test"), message("m" + i));
                assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
                // one connection per message: the next one chooses its host again instead of reusing this one
                Peers.awaitNoConnections(Duration.ofSeconds(10), a, b);
            }
            assertThat(one.count() + two.count()).isEqualTo(16);
            assertThat(one.count()).as("both equal-preference hosts are used").isBetween(2, 14);
        }
    }

    @Test
    void domainWithoutMxGetsMailAtItsAddress() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder().address("nomx.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).build().start()) {
            q.submit(envelope("a@origin.test", "x@nomx.test"), message("implicit mx"));
            assertThat(remote.await(1, Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void connectionsAreReusedAndLimitedPerDestination() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        Connections conns = new Connections();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).filters(conns).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).maxConnectionsPerDestination(3)
                     .connectionIdleTime(Duration.ofSeconds(10)).build().start()) {
            for (int i = 0; i < 60; i++) {
                q.submit(envelope("a@origin.test", "r" + i + "@remote.test"), message("m" + i));
            }
            assertThat(remote.await(60, Duration.ofSeconds(20))).isTrue();
            Set<String> sessions = remote.messages().stream().map(m -> m.envelope().sessionId())
                    .collect(Collectors.toSet());
            assertThat(sessions).as("at most 3 connections, each carrying many messages").hasSizeBetween(1, 3);
            assertThat(conns.connects.get()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void manyRecipientsAreSplitIntoTransactionsAndGroupedByDomain() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("a.test", 10, "mx.test").mx("b.test", 10, "mx.test")
                .address("mx.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).maxRecipientsPerTransaction(3)
                     .build().start()) {
            q.submit(envelope("s@origin.test", "1@a.test", "2@a.test", "3@a.test", "4@a.test", "5@b.test"),
                    message("split"));
            assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            List<List<String>> txns = remote.messages().stream().map(m -> m.envelope().recipients().stream()
                    .map(Object::toString).collect(Collectors.toList())).collect(Collectors.toList());
            assertThat(txns).containsExactlyInAnyOrder(List.of("1@a.test", "2@a.test", "3@a.test"),
                    List.of("4@a.test"), List.of("5@b.test"));
        }
    }

    /**
     * Content is sent exactly, with CRLF line ends only and dot-stuffed: bare LF and bare CR from an API submission
     * become CRLF (so a smuggling payload stays content), and lines starting with "." survive the trip.
     */
    @Test
    void neverSendsBareLineEndsAndAlwaysDotStuffs() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.1").build();
        // the receiver rejects bare CR/LF (SMTP smuggling) and would store a second message if one got through
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port)
                .bareLineEndings(BareLineEndings.REJECT).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).build().start()) {
            String payload = ".first line starts with a dot\r\n"
                    + "Subject: smuggle\r\n\r\nbody\n.\nMAIL FROM:<evil@x.test>\nRCPT TO:<victim@remote.test>\nDATA\n"
                    + "smuggled\r\n.\r\n..two dots\r\n.\r\nbare CR\r.\rend";
            q.submit(envelope("a@origin.test", "b@remote.test"), payload.getBytes(StandardCharsets.UTF_8));
            assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            assertThat(remote.count()).as("one message, never two").isEqualTo(1);
            String got = remote.messages().get(0).source().asString();
            String expected = payload.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n") + "\r\n";
            assertThat(got.substring(got.indexOf(".first line"))).isEqualTo(expected);
            assertThat(got.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
        }
    }

    @Test
    void opportunisticTlsIsUsedWhenOfferedWithoutVerifyingTheCertificate() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        EventLog events = new EventLog();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).tls(LOCALHOST_TLS).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).onEvent(events).build().start()) {
            q.submit(envelope("a@origin.test", "b@remote.test"), message("tls"));
            assertThat(remote.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(remote.messages().get(0).envelope().tls()).isPresent();
            RelayEvent e = events.await(RelayEvent.Type.DELIVERED);
            assertThat(e.tls().orElseThrow().protocol()).startsWith("TLSv1.");
        }
    }

    @Test
    void requiredTlsVerifiesTheCertificateAgainstTheMxName() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        EventLog events = new EventLog();
        // the certificate names localhost: fine for MX "localhost", wrong for MX "mx.wrongname.test"
        StaticDnsResolver dns = StaticDnsResolver.builder()
                .mx("good.test", 10, "localhost").address("localhost", "127.0.0.1")
                .mx("bad.test", 10, "mx.wrongname.test").address("mx.wrongname.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).tls(LOCALHOST_TLS).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).onEvent(events)
                     .requireTls("good.test", "bad.test").trust(LOCALHOST_TLS.clientSslContext()).build().start()) {
            q.submit(envelope("a@origin.test", "x@good.test"), message("verified"));
            String bad = q.submit(envelope("a@origin.test", "x@bad.test"), message("wrong name"));
            RelayEvent deferred = events.await(RelayEvent.Type.DEFERRED);
            assertThat(deferred.queueId()).isEqualTo(bad);
            assertThat(deferred.status()).contains("4.7.5");
            assertThat(deferred.detail()).contains("certificate").contains("mx.wrongname.test");
            assertThat(events.await(RelayEvent.Type.DELIVERED).recipients().toString()).contains("x@good.test");
            assertThat(remote.count()).isEqualTo(1);
            assertThat(q.entry(bad).orElseThrow().pendingRecipients()).extracting(Object::toString)
                    .containsExactly("x@bad.test");
        }
    }

    @Test
    void requiredTlsWithoutStarttlsDefersAndSendsNothing() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        EventLog events = new EventLog();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "localhost")
                .address("localhost", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start(); // no TLS offered
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).onEvent(events)
                     .tls(RelayTls.REQUIRED).build().start()) {
            q.submit(envelope("a@origin.test", "b@remote.test"), message("must be encrypted"));
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.status()).contains("4.7.4");
            assertThat(e.detail()).isEqualTo("TLS is required, but was not offered by host localhost[127.0.0.1]:"
                    + port);
            assertThat(remote.count()).isZero();
            assertThat(q.size()).isEqualTo(1);
        }
    }

    @Test
    void smartHostWithAuthOverVerifiedTls() throws Exception {
        InMemorySink smart = new InMemorySink();
        EventLog events = new EventLog();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("relay@provider.test", "s3cret").build();
        try (SmtpServer provider = SmtpServer.builder().submission(0).users(users).tls(LOCALHOST_TLS)
                .acceptAllDomains().sink(smart).build().start()) {
            SmartHost host = SmartHost.builder("localhost", provider.port()).auth("relay@provider.test", "s3cret")
                    .tls(RelayTls.REQUIRED).build();
            // the resolver is never asked: the smart host "localhost" is resolved as a host name
            try (RelayQueue q = RelayQueue.builder(dir).smartHost(host).trust(LOCALHOST_TLS.clientSslContext())
                    .resolver(StaticDnsResolver.builder().address("localhost", "127.0.0.1").build())
                    .onEvent(events).build().start()) {
                q.submit(envelope("a@origin.test", "x@one.test", "y@two.test"), message("via smart host"));
                assertThat(smart.await(1, Duration.ofSeconds(10))).as(events.toString()).isTrue();
                ReceivedMessage m = smart.messages().get(0);
                assertThat(m.envelope().authenticatedUser()).contains("relay@provider.test");
                assertThat(m.envelope().tls()).isPresent();
                assertThat(m.envelope().recipients()).extracting(Object::toString)
                        .containsExactly("x@one.test", "y@two.test");
                assertThat(events.await(RelayEvent.Type.DELIVERED).destination()).contains("localhost:"
                        + provider.port());
            }
        }
    }

    @Test
    void smartHostRejectingTheCredentialsDefersWithItsReply() throws Exception {
        InMemorySink smart = new InMemorySink();
        EventLog events = new EventLog();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("relay@provider.test", "s3cret").build();
        try (SmtpServer provider = SmtpServer.builder().submission(0).users(users).tls(LOCALHOST_TLS)
                .authFailurePenalty(dev.mailkit.core.server.AuthFailurePenalty.none())
                .acceptAllDomains().sink(smart).build().start();
             RelayQueue q = RelayQueue.builder(dir).onEvent(events)
                     .smartHost(SmartHost.builder("127.0.0.1", provider.port()).auth("relay@provider.test", "wrong")
                             .build()).build().start()) {
            q.submit(envelope("a@origin.test", "x@one.test"), message("bad password"));
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.detail()).startsWith("SASL authentication failed; server 127.0.0.1[127.0.0.1]:"
                    + provider.port() + " said: 535 5.7.8 Authentication credentials invalid");
            assertThat(e.reply()).containsExactly("535 5.7.8 Authentication credentials invalid");
            assertThat(smart.count()).isZero();
        }
    }

    @Test
    void authPasswordIsNeverSentWithoutTls() throws Exception {
        InMemorySink smart = new InMemorySink();
        EventLog events = new EventLog();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("relay@provider.test", "s3cret").build();
        try (SmtpServer provider = SmtpServer.builder().submission(0).users(users).requireTlsForLogin(false)
                .acceptAllDomains().sink(smart).build().start();
             RelayQueue q = RelayQueue.builder(dir).onEvent(events)
                     .smartHost(SmartHost.builder("127.0.0.1", provider.port()).auth("relay@provider.test", "s3cret")
                             .build()).build().start()) {
            q.submit(envelope("a@origin.test", "x@one.test"), message("no tls"));
            RelayEvent e = events.await(RelayEvent.Type.DEFERRED);
            assertThat(e.detail()).contains("not sending the AUTH password").contains("without TLS");
            assertThat(smart.count()).isZero();
        }
    }

    @Test
    void submitsJakartaMailMessagesWithTheEnvelopeFromTheirHeaderAndWithoutBcc() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.1").build();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).build().start()) {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress("app@origin.test"));
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, "to@remote.test");
            m.setRecipients(jakarta.mail.Message.RecipientType.BCC, "hidden@remote.test");
            m.setSubject("from the app");
            m.setText("hello\nworld\n");
            String id = q.submit(m);
            assertThat(id).isNotEmpty();
            assertThat(remote.await(1, Duration.ofSeconds(10))).isTrue();
            ReceivedMessage got = remote.messages().get(0);
            assertThat(got.envelope().reversePathString()).isEqualTo("<app@origin.test>");
            assertThat(got.envelope().recipients()).extracting(Object::toString)
                    .containsExactlyInAnyOrder("to@remote.test", "hidden@remote.test");
            assertThat(got.source().asString()).contains("Subject: from the app").doesNotContain("hidden@")
                    .contains("hello\r\nworld\r\n");
        }
    }

    /** A message above the log's limit takes the other path (a file of its own) and arrives byte for byte. */
    @Test
    void bigMessagesGoThroughAFileOfTheirOwnAndArriveIntact() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        StaticDnsResolver dns = StaticDnsResolver.builder().mx("remote.test", 10, "mx.remote.test")
                .address("mx.remote.test", "127.0.0.1").build();
        StringBuilder body = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; body.length() < 3 * 1024 * 1024; i++) {
            body.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" ").append("x".repeat(60))
                    .append("\r\n");
        }
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).maxMessageSize(10L * 1024 * 1024)
                .build().start();
             RelayQueue q = RelayQueue.builder(dir).mxPort(port).resolver(dns).build().start()) {
            q.submit(envelope("a@origin.test", "b@remote.test"), body.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(remote.await(1, Duration.ofSeconds(20))).isTrue();
            String got = remote.messages().get(0).source().asString();
            assertThat(got.substring(got.indexOf("Subject: big"))).isEqualTo(body.toString());
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
        }
    }
}
