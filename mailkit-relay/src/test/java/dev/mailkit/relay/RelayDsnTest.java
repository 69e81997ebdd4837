package dev.mailkit.relay;

import dev.mailkit.core.MutableClock;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DSN extension (RFC 3461) through the relay: NOTIFY decides which notifications the sender gets, ENVID and
 * ORCPT come back in them, RET=HDRS returns only the header, a server that offers DSN gets the parameters passed on
 * (and reports delivery itself), one that does not makes the relay report "relayed". The remote servers are Postfix's
 * smtp-sink and mailkit receivers; the sender's own server (origin.test) is a mailkit receiver that gets the
 * notifications.
 */
class RelayDsnTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:00Z"));
    final EventLog events = new EventLog();

    RelayQueue.Builder queue(Path where, int port, String hostName) {
        return RelayQueue.builder(where).hostName(hostName).mxPort(port).resolver(RelaySmtpSinkTest.dns())
                .clock(clock).onEvent(events);
    }

    static Envelope.Builder envelope(Map<String, String> mailParameters, Map<String, String> rcptParameters) {
        return Envelope.builder().reversePath("sender@origin.test").mailParameters(mailParameters)
                .recipient(dev.mailkit.core.MailAddress.parse("rcpt@remote.test"), rcptParameters);
    }

    @Test
    void notifyNeverMeansNoBounce() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-f", "RCPT");
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(dir.resolve("q"), port, "relay.mailkit.test").build().start()) {
            q.submit(envelope(Map.of(), Map.of("NOTIFY", "NEVER")).build(), RelaySmtpSinkTest.message("quiet"));
            assertThat(events.await(RelayEvent.Type.BOUNCED).status()).isPresent();
            assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue(); // a queued DSN would still be in it
            assertThat(events.of(RelayEvent.Type.DSN_QUEUED)).isEmpty();
        }
        assertThat(senderMailbox.messages()).isEmpty();
    }

    @Test
    void aBounceCarriesEnvidAndOrcptAndOnlyTheHeaderWithRetHdrs() throws Exception {
        int port = Peers.freePort();
        InMemorySink senderMailbox = new InMemorySink();
        try (Peers.SmtpSink sink = new Peers.SmtpSink(Peers.loopback(1), port, null, "-f", "RCPT");
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(dir.resolve("q"), port, "relay.mailkit.test").build().start()) {
            q.submit(envelope(Map.of("RET", "HDRS", "ENVID", "QQ314159+2Bx+0D+0AInjected:+20no"),
                    Map.of("NOTIFY", "FAILURE", "ORCPT", "rfc822;Old.Name+2Bx@remote.test")).build(),
                    RelaySmtpSinkTest.message("bounce me"));
            assertThat(senderMailbox.await(1, Duration.ofSeconds(15))).as(events.toString()).isTrue();
            ReceivedMessage dsn = senderMailbox.messages().get(0);
            MimeMultipart mp = (MimeMultipart) dsn.source().mimeMessage().getContent();
            String fields = RelaySmtpSinkTest.read(mp.getBodyPart(1).getInputStream());
            assertThat(fields).contains("Original-Envelope-Id: QQ314159+x??Injected: no\r\n")
                    .contains("Original-Recipient: rfc822; Old.Name+x@remote.test\r\n")
                    .contains("Final-Recipient: rfc822; rcpt@remote.test\r\n").contains("Action: failed\r\n");
            BodyPart original = mp.getBodyPart(2);
            assertThat(original.getContentType()).startsWith("text/rfc822-headers");
            assertThat(RelaySmtpSinkTest.read(original.getInputStream())).contains("Subject: bounce me")
                    .doesNotContain("the body");
        }
    }

    /** mailkit's receiver without a relay queue does not offer DSN: the relay reports "relayed" itself. */
    @Test
    void successToAServerWithoutDsnIsReportedAsRelayed() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        InMemorySink senderMailbox = new InMemorySink();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(dir.resolve("q"), port, "relay.mailkit.test").build().start()) {
            q.submit(envelope(Map.of("ENVID", "abc123"), Map.of("NOTIFY", "SUCCESS,FAILURE")).build(),
                    RelaySmtpSinkTest.message("tell me"));
            assertThat(remote.await(1, Duration.ofSeconds(15))).isTrue();
            assertThat(remote.messages().get(0).envelope().recipientParameters(
                    dev.mailkit.core.MailAddress.parse("rcpt@remote.test"))).as("not passed to a server without DSN")
                    .isEmpty();
            assertThat(senderMailbox.await(1, Duration.ofSeconds(15))).as(events.toString()).isTrue();
            MimeMessage dsn = senderMailbox.messages().get(0).source().mimeMessage();
            assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
            MimeMultipart mp = (MimeMultipart) dsn.getContent();
            assertThat(RelaySmtpSinkTest.read(mp.getBodyPart(1).getInputStream()))
                    .contains("Original-Envelope-Id: abc123\r\n").contains("Action: relayed\r\n")
                    .contains("Status: 2.0.0\r\n").contains("Reporting-MTA: dns; relay.mailkit.test\r\n");
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
            assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(senderMailbox.messages()).hasSize(1);
    }

    /**
     * A receiver with a relay queue offers DSN: the parameters go on to it, the first relay stays quiet, and the
     * receiver, which delivers into the mailbox, reports "delivered" through its own queue.
     */
    @Test
    void aServerWithDsnGetsTheParametersAndReportsDeliveryItself() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        InMemorySink senderMailbox = new InMemorySink();
        try (RelayQueue remoteQueue = queue(dir.resolve("remote-q"), port, "mx.remote.test").build().start();
             SmtpServer mx = SmtpServer.builder().bindAddress(Peers.loopback(1)).mx(port).localDomains("remote.test")
                     .sink(remote).relay(remoteQueue)
                     .authFailurePenalty(dev.mailkit.core.server.AuthFailurePenalty.none()).build().start();
             SmtpServer origin = Peers.receiver(senderMailbox, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(dir.resolve("q"), port, "relay.mailkit.test").build().start()) {
            q.submit(envelope(Map.of("RET", "FULL", "ENVID", "e-1"),
                    Map.of("NOTIFY", "SUCCESS", "ORCPT", "rfc822;rcpt@remote.test")).build(),
                    RelaySmtpSinkTest.message("pass it on"));
            assertThat(remote.await(1, Duration.ofSeconds(15))).isTrue();
            Envelope got = remote.messages().get(0).envelope();
            assertThat(got.mailParameters()).containsEntry("RET", "FULL").containsEntry("ENVID", "e-1");
            assertThat(got.recipientParameters(dev.mailkit.core.MailAddress.parse("rcpt@remote.test")))
                    .containsEntry("NOTIFY", "SUCCESS").containsEntry("ORCPT", "rfc822;rcpt@remote.test");
            assertThat(senderMailbox.await(1, Duration.ofSeconds(15))).as(events.toString()).isTrue();
            MimeMultipart mp = (MimeMultipart) senderMailbox.messages().get(0).source().mimeMessage().getContent();
            assertThat(RelaySmtpSinkTest.read(mp.getBodyPart(1).getInputStream()))
                    .contains("Reporting-MTA: dns; mx.remote.test\r\n").contains("Action: delivered\r\n")
                    .contains("Original-Envelope-Id: e-1\r\n")
                    .contains("Original-Recipient: rfc822; rcpt@remote.test\r\n");
            assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            assertThat(remoteQueue.awaitEmpty(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(senderMailbox.messages()).as("only the receiver's report, none from the first relay").hasSize(1);
    }
}
