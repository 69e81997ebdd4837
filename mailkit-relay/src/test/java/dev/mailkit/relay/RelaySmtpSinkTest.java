package dev.mailkit.relay;

import dev.mailkit.core.MutableClock;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry, bounce and expiry with Postfix's smtp-sink as the remote server (it answers 4xx or 5xx on demand), and a
 * mailkit receiver as the sender's own mail server that gets the DSNs.
 */
class RelaySmtpSinkTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    final EventLog events = new EventLog();

    /** remote.test is served by smtp-sink on 127.0.0.1, origin.test (the senders) by a mailkit receiver on .2. */
    static StaticDnsResolver dns() {
        return StaticDnsResolver.builder()
                .mx("remote.test", 10, "mx.remote.test").address("mx.remote.test", "127.0.0.1")
                .mx("origin.test", 10, "mx.origin.test").address("mx.origin.test", "127.0.0.2")
                .build();
    }

    RelayQueue.Builder queue(int port) {
        return RelayQueue.builder(dir.resolve("queue")).hostName("relay.mailkit.test").mxPort(port).resolver(dns())
                .clock(clock).onEvent(events);
    }

    static byte[] message(String subject) {
        return ("From: sender@origin.test\r\nTo: rcpt@remote.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '-') + "@origin.test>\r\n\r\nthe body\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static Envelope envelope(String from, String to) {
        return Envelope.builder().reversePath(from).recipient(to).build();
    }

    @Test
    void deliversToSmtpSink() throws Exception {
        int port = Peers.freePort();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null);
             RelayQueue q = queue(port).build().start()) {
            String id = q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("hello"));
            RelayEvent e = events.await(RelayEvent.Type.DELIVERED);
            assertThat(e.queueId()).isEqualTo(id);
            assertThat(e.reply()).containsExactly("250 2.0.0 Ok");
            assertThat(e.remoteHost()).contains("mx.remote.test");
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            assertThat(dir.resolve("queue").toFile().list((d, n) -> n.endsWith(".msg"))).isEmpty();
        }
    }

    @Test
    void temporaryFailuresAreRetriedWithPostfixBackoffUntilDelivered() throws Exception {
        int port = Peers.freePort();
        String id;
        try (RelayQueue q = queue(port).build().start()) {
            try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-r", "RCPT")) {
                id = q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("retry me"));
                RelayEvent first = events.await(RelayEvent.Type.DEFERRED);
                assertThat(first.reply()).containsExactly("450 4.3.0 Error: command failed");
                assertThat(first.detail()).isEqualTo("host mx.remote.test[127.0.0.1]:" + port
                        + " said: 450 4.3.0 Error: command failed (in reply to RCPT TO command)");
                assertThat(first.attempt()).isEqualTo(1);
                Instant t0 = clock.instant();
                assertThat(first.nextAttempt()).contains(t0.plus(Duration.ofMinutes(5)));
                QueueEntry entry = q.entry(id).orElseThrow();
                assertThat(entry.attempts()).isEqualTo(1);
                assertThat(entry.nextAttempt()).contains(t0.plus(Duration.ofMinutes(5)));
                assertThat(entry.recipients().get(0).lastReply()).contains("450 4.3.0 Error: command failed");

                clock.advance(Duration.ofMinutes(4));
                clock.advance(Duration.ofSeconds(59)); // not yet due
                clock.advance(Duration.ofSeconds(1)); // due now: the second attempt doubles the delay
                RelayEvent second = events.await(RelayEvent.Type.DEFERRED, 2).get(1);
                assertThat(second.attempt()).isEqualTo(2);
                assertThat(second.nextAttempt()).contains(clock.instant().plus(Duration.ofMinutes(10)));
            }
            // the remote recovers; the next attempt (10 minutes later) delivers
            try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null)) {
                clock.advance(Duration.ofMinutes(10));
                RelayEvent delivered = events.await(RelayEvent.Type.DELIVERED);
                assertThat(delivered.queueId()).isEqualTo(id);
                assertThat(delivered.attempt()).isEqualTo(3);
                assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(events.of(RelayEvent.Type.BOUNCED)).isEmpty();
    }

    @Test
    void permanentFailureBouncesWithADsnToTheSender() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-f", "RCPT",
                "-B", "550 5.1.1 <rcpt@remote.test>: Recipient address rejected: User unknown");
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).build().start()) {
            String id = q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("bounce me"));
            RelayEvent bounced = events.await(RelayEvent.Type.BOUNCED);
            assertThat(bounced.status()).contains("5.1.1");
            assertThat(bounced.reply()).containsExactly(
                    "550 5.1.1 <rcpt@remote.test>: Recipient address rejected: User unknown");
            assertThat(senderMailbox.await(1, Duration.ofSeconds(10))).as(events.toString()).isTrue();
            ReceivedMessage dsn = senderMailbox.messages().get(0);
            assertThat(dsn.envelope().isNullReversePath()).as("a DSN has the null reverse-path").isTrue();
            assertThat(dsn.envelope().recipients()).extracting(Object::toString).containsExactly("sender@origin.test");
            assertDsn(dsn, "5.1.1", "smtp; 550 5.1.1 <rcpt@remote.test>: Recipient address rejected: User unknown",
                    id, true);
            assertThat(events.await(RelayEvent.Type.DSN_QUEUED).queueId()).isEqualTo(id);
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void rejectionAfterTheDataBouncesToo() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-f", ".");
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).build().start()) {
            q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("content refused"));
            RelayEvent bounced = events.await(RelayEvent.Type.BOUNCED);
            assertThat(bounced.detail()).endsWith("(in reply to end of DATA command)");
            assertThat(senderMailbox.await(1, Duration.ofSeconds(10))).isTrue();
            assertDsn(senderMailbox.messages().get(0), "5.3.0", "smtp; 500 5.3.0 Error: command failed", null, true);
        }
    }

    @Test
    void expiresAfterTheMaximumLifetimeWithADsn() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-r", "RCPT");
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).bounceSizeLimit(10).build().start()) {
            String id = q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("never arrives"));
            events.await(RelayEvent.Type.DEFERRED);
            clock.advance(Duration.ofDays(5));
            RelayEvent expired = events.await(RelayEvent.Type.EXPIRED);
            assertThat(expired.queueId()).isEqualTo(id);
            assertThat(expired.status()).contains("4.4.7");
            assertThat(senderMailbox.await(1, Duration.ofSeconds(10))).isTrue();
            // above the bounce size limit: the DSN carries only the original header
            assertDsn(senderMailbox.messages().get(0), "4.4.7", "Diagnostic-Code: X-mailkit; delivery time expired after "
                    + "5 days; last problem: 450 4.3.0 Error: command failed\r\n", id, false);
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void aBounceIsNeverSentToTheNullReversePath() throws Exception {
        int port = Peers.freePort();
        InMemorySink anyone = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-f", "RCPT");
             SmtpServer origin = Peers.receiver(anyone, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).build().start()) {
            q.submit(Envelope.builder().reversePath((dev.mailkit.core.MailAddress) null).recipient("rcpt@remote.test")
                    .build(), message("a bounce itself"));
            events.await(RelayEvent.Type.BOUNCED);
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            assertThat(events.of(RelayEvent.Type.DSN_QUEUED)).isEmpty();
            assertThat(anyone.count()).isZero();
        }
    }

    @Test
    void smtpUtf8MailToAServerWithoutSmtpUtf8Bounces() throws Exception {
        int port = Peers.freePort();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null);
             RelayQueue q = queue(port).build().start()) {
            q.submit(envelope("sender@origin.test", "jörg@remote.test"), message("utf8"));
            RelayEvent e = events.await(RelayEvent.Type.BOUNCED);
            assertThat(e.status()).contains("5.6.7");
            assertThat(e.detail()).startsWith("SMTPUTF8 is required (non-ASCII address), but was not offered by host "
                    + "mx.remote.test");
        }
    }

    /**
     * Postfix's smtp-sink offers no SMTPUTF8: UTF-8 header fields bounce with RFC 6531's 5.6.9
     * instead of reaching it as raw 8-bit; a message that was submitted with SMTPUTF8 but is ASCII throughout needs
     * no SMTPUTF8 and is delivered.
     */
    @Test
    void utf8HeadersNeedSmtpUtf8AndAsciiMessagesDoNot() throws Exception {
        int port = Peers.freePort();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null);
             RelayQueue q = queue(port).build().start()) {
            String utf8 = q.submit(envelope("sender@origin.test", "rcpt@remote.test"), message("Grüße"));
            RelayEvent bounced = events.await(RelayEvent.Type.BOUNCED);
            assertThat(bounced.queueId()).isEqualTo(utf8);
            assertThat(bounced.status()).contains("5.6.9");
            assertThat(bounced.detail()).contains("UTF-8 header fields");
            String ascii = q.submit(Envelope.builder().reversePath("sender@origin.test").recipient("rcpt@remote.test")
                    .mailParameters(java.util.Map.of("SMTPUTF8", "")).build(), message("plain"));
            RelayEvent delivered = events.await(RelayEvent.Type.DELIVERED);
            assertThat(delivered.queueId()).isEqualTo(ascii);
        }
    }

    @Test
    void addressLiteralRecipientsGoToThatAddress() throws Exception {
        int port = Peers.freePort();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(3), port, null);
             RelayQueue q = queue(port).build().start()) {
            q.submit(envelope("sender@origin.test", "x@[127.0.0.3]"), message("literal"));
            RelayEvent e = events.await(RelayEvent.Type.DELIVERED);
            assertThat(e.remoteAddress().orElseThrow().getAddress().getHostAddress()).isEqualTo("127.0.0.3");
            assertThat(e.destination()).contains("[127.0.0.3]");
        }
    }

    @Test
    void unreachableDestinationDefersEverythingWaitingForIt() throws Exception {
        int port = Peers.freePort(); // nothing listens
        try (RelayQueue q = queue(port).maxConnectionsPerDestination(1).build().start()) {
            for (int i = 0; i < 5; i++) {
                q.submit(envelope("sender@origin.test", "r" + i + "@remote.test"), message("m" + i));
            }
            for (RelayEvent e : events.await(RelayEvent.Type.DEFERRED, 5)) {
                assertThat(e.status()).contains("4.4.1");
                assertThat(e.detail()).startsWith("connect to mx.remote.test[127.0.0.1]:" + port + ": ");
            }
            assertThat(q.list()).hasSize(5).allSatisfy(en -> assertThat(en.attempts()).isEqualTo(1));
        }
    }

    /** Checks the DSN's structure (RFC 3464 in RFC 6522 multipart/report) and its delivery-status fields. */
    static void assertDsn(ReceivedMessage dsn, String status, String diagnostic, String queueId, boolean wholeMessage)
            throws Exception {
        jakarta.mail.internet.MimeMessage m = dsn.source().mimeMessage();
        assertThat(m.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(m.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(m.getHeader("To", null)).isEqualTo("<sender@origin.test>");
        MimeMultipart mp = (MimeMultipart) m.getContent();
        assertThat(mp.getCount()).isEqualTo(3);
        assertThat(mp.getBodyPart(0).getContentType()).startsWith("text/plain");
        BodyPart report = mp.getBodyPart(1);
        assertThat(report.getContentType()).startsWith("message/delivery-status");
        String fields = read(report.getInputStream()).replace("\r\n ", " "); // unfolded
        assertThat(fields).contains("Reporting-MTA: dns; relay.mailkit.test\r\n")
                .contains("Final-Recipient: rfc822; rcpt@remote.test\r\n").contains("Action: failed\r\n")
                .contains("Status: " + status + "\r\n").contains(diagnostic);
        if (queueId != null) {
            assertThat(fields).contains("X-Mailkit-Queue-ID: " + queueId + "\r\n");
        }
        BodyPart original = mp.getBodyPart(2);
        if (wholeMessage) {
            assertThat(original.getContentType()).startsWith("message/rfc822");
            assertThat(read(original.getInputStream())).contains("the body");
        } else {
            assertThat(original.getContentType()).startsWith("text/rfc822-headers");
            assertThat(read(original.getInputStream())).contains("Subject: ").doesNotContain("the body");
        }
    }

    static String read(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toString(StandardCharsets.UTF_8);
    }
}
