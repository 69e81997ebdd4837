package dev.mailkit.test;

import dev.mailkit.testsupport.RawClient;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailKitTest {
    @Test
    void recordsTheWholeEnvelopeAndDecodesTheMessage() throws Exception {
        try (MailKit mail = MailKit.builder().smtp().build().start()) {
            Mailer client = new Mailer(mail.smtpPort());
            MimeMessage m = client.rich("shop@shop.test", "bob@example.test", "Order #42 confirmed ✓");
            m.addRecipient(Message.RecipientType.BCC, new InternetAddress("audit@shop.test"));
            client.send(m);
            ReceivedMail r = mail.takeMessage();
            assertThat(r).hasSubject("Order #42 confirmed ✓").hasFrom("shop@shop.test").hasTo("bob@example.test")
                    .hasRecipient("bob@example.test").hasRecipient("audit@shop.test")
                    .hasOnlyRecipients("audit@shop.test", "bob@example.test").hasSender("shop@shop.test")
                    .textContains("Grüße").htmlContains("<b>ships</b>").bodyContains("ships today")
                    .hasAttachmentCount(1).hasAttachment("invoice-42.pdf").hasHeader("Message-ID");
            assertThat(r.from()).containsExactly("The Shop <shop@shop.test>");
            assertThat(r.attachments().get(0).contentType()).isEqualTo("application/pdf");
            assertThat(r.attachments().get(0).data()).startsWith('%', 'P', 'D', 'F');
            assertThat(r.rawText()).doesNotContain("audit@shop.test").startsWith("Received: from ");
            assertThat(r.transcript()).contains("C: RCPT TO:<audit@shop.test>").anyMatch(l -> l.startsWith("C: DATA"));
        }
    }

    @Test
    void takeMessageFailsLoudlyWithWhatArrivedAndTheTranscripts() throws Exception {
        try (MailKit mail = MailKit.builder().timeout(Duration.ofMillis(300)).build().start()) {
            mail.faults().rejectRecipient("nobody@example.test", 550, "5.1.1", "No such user");
            Mailer client = new Mailer(mail.smtpPort());
            client.send(client.simple("a@shop.test", "first@example.test", "one", "x"));
            assertThat(mail.takeMessage().subject()).isEqualTo("one");
            assertThatThrownBy(() -> client.send(client.simple("a@shop.test", "nobody@example.test", "two", "x")))
                    .isInstanceOf(MessagingException.class);
            mail.awaitMessages(1);
            assertThatThrownBy(mail::takeMessage).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("No message arrived within 300 ms (1 taken before)")
                    .hasMessageContaining("1. from <a@shop.test> to [first@example.test], subject \"one\"")
                    .hasMessageContaining("S: 550 5.1.1 No such user");
            assertThatThrownBy(() -> mail.awaitMessages(2)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Expected 2 messages within 300 ms");
        }
    }

    @Test
    void aServerNobodyTalkedToSaysSo() {
        try (MailKit mail = MailKit.builder().timeout(Duration.ofMillis(100)).build().start()) {
            assertThatThrownBy(mail::takeMessage).hasMessageContaining("did the application connect to 127.0.0.1:"
                    + mail.smtpPort());
        }
    }

    @Test
    void strictAndAnyLogin() throws Exception {
        try (MailKit mail = MailKit.builder().user("alice@example.test", "secret").requireAuth().build().start()) {
            Mailer ok = new Mailer(mail.smtpPort()).login("alice@example.test", "secret");
            ok.send(ok.simple("alice@example.test", "bob@example.test", "authed", "x"));
            assertThat(mail.takeMessage().envelope().authenticatedUser()).contains("alice@example.test");
            Mailer wrong = new Mailer(mail.smtpPort()).login("alice@example.test", "nope");
            assertThatThrownBy(() -> wrong.send(wrong.simple("alice@example.test", "bob@example.test", "x", "x")))
                    .hasMessageContaining("535");
            Mailer anonymous = new Mailer(mail.smtpPort());
            assertThatThrownBy(() -> anonymous.send(anonymous.simple("a@x.test", "bob@example.test", "x", "x")))
                    .hasMessageContaining("530");
        }
        try (MailKit mail = MailKit.startDefault()) {
            Mailer any = new Mailer(mail.smtpPort()).login("whoever", "whatever");
            any.send(any.simple("a@x.test", "b@y.test", "any login", "x"));
            assertThat(mail.takeMessage().envelope().authenticatedUser()).contains("whoever");
        }
    }

    @Test
    void tlsIsTrustedWithoutJvmWideSettings() throws Exception {
        try (MailKit mail = MailKit.builder().tls().requireTls().build().start()) {
            Mailer starttls = new Mailer(mail.smtpPort()).startTls(mail.sslContext());
            starttls.send(starttls.simple("a@x.test", "b@y.test", "over starttls", "x"));
            Mailer smtps = new Mailer(mail.smtpsPort()).implicitTls(mail.sslContext());
            smtps.send(smtps.simple("a@x.test", "b@y.test", "over smtps", "x"));
            List<ReceivedMail> both = mail.awaitMessages(2);
            assertThat(both).allMatch(m -> m.envelope().tls().isPresent());
            assertThat(mail.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(mail.trustStore().size()).isEqualTo(1);
            Mailer plain = new Mailer(mail.smtpPort());
            assertThatThrownBy(() -> plain.send(plain.simple("a@x.test", "b@y.test", "x", "x")))
                    .hasMessageContaining("530 5.7.0");
            assertThat(System.getProperty("javax.net.ssl.trustStore")).isNull();
        }
        try (MailKit noTls = MailKit.startDefault()) {
            assertThatThrownBy(noTls::smtpsPort).hasMessageContaining("MailKit.builder().tls()");
        }
    }

    @Test
    void scriptedFailures() throws Exception {
        try (MailKit mail = MailKit.startDefault()) {
            Mailer c = new Mailer(mail.smtpPort());
            mail.faults().rejectSender("spammer@bad.test", 554, "5.7.1", "Go away");
            assertThatThrownBy(() -> c.send(c.simple("spammer@bad.test", "b@y.test", "x", "x")))
                    .hasMessageContaining("554 5.7.1 Go away");
            mail.faults().failNext(2, 451);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> c.send(c.simple("a@x.test", "b@y.test", "x", "x"))).hasMessageContaining("451");
            }
            c.send(c.simple("a@x.test", "b@y.test", "third time lucky", "x"));
            assertThat(mail.takeMessage().subject()).isEqualTo("third time lucky");
            mail.faults().disconnectAfterData(1);
            assertThatThrownBy(() -> c.send(c.simple("a@x.test", "b@y.test", "dropped", "x")))
                    .isInstanceOf(MessagingException.class);
            mail.faults().failNext(1, 421);
            try (RawClient raw = new RawClient(mail.smtpPort())) {
                raw.readReply();
                raw.command("EHLO c.test");
                raw.command("MAIL FROM:<a@x.test>");
                raw.command("RCPT TO:<b@y.test>");
                raw.command("DATA");
                raw.send("Subject: x\r\n\r\nx\r\n.\r\n");
                assertThat(raw.readReply()).startsWith("421 4.3.0");
                assertThat(raw.isClosedByServer()).isTrue();
            }
            mail.faults().reset().delayReplies(Duration.ofMillis(50));
            long t0 = System.nanoTime();
            c.send(c.simple("a@x.test", "b@y.test", "slow", "x"));
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(250); // 5 delayed stages
            assertThat(mail.takeMessage().subject()).isEqualTo("slow");
            assertThat(mail.messages()).extracting(ReceivedMail::subject).containsExactly("third time lucky", "slow");
        }
    }

    @Test
    void chaosIsReproducibleFromItsSeed() throws Exception {
        List<String> first = chaosRun(42);
        List<String> second = chaosRun(42);
        assertThat(first).isEqualTo(second).contains("ok").anyMatch(s -> !s.equals("ok"));
    }

    private static List<String> chaosRun(long seed) throws Exception {
        List<String> outcomes = new java.util.ArrayList<>();
        try (MailKit mail = MailKit.startDefault()) {
            mail.faults().chaos(seed, 0.3, 0.2, 0.1);
            Mailer c = new Mailer(mail.smtpPort());
            for (int i = 0; i < 30; i++) {
                try {
                    c.send(c.simple("a@x.test", "b@y.test", "n" + i, "x"));
                    outcomes.add("ok");
                } catch (MessagingException e) {
                    String msg = String.valueOf(e.getMessage());
                    outcomes.add(msg.contains("451") ? "451" : msg.contains("554") ? "554" : "dropped");
                }
            }
        }
        return outcomes;
    }

    @Test
    void throttleAndDomainsAndPurge() throws Exception {
        try (MailKit mail = MailKit.builder().domains("example.test").build().start()) {
            Mailer c = new Mailer(mail.smtpPort());
            assertThatThrownBy(() -> c.send(c.simple("a@x.test", "b@elsewhere.test", "x", "x")))
                    .hasStackTraceContaining("554 5.7.1");
            mail.faults().throttle(20);
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                c.send(c.simple("a@x.test", "b@example.test", "t" + i, "x"));
            }
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(150);
            assertThat(mail.awaitMessagesTo("b@example.test", 5)).hasSize(5);
            assertThat(mail.messagesTo("nobody@example.test")).isEmpty();
            // a session's transcript is recorded when it ends, which may be after the client read 221: wait for all
            // six (the refused one and five), so that none arrives after the purge
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (mail.sessionTranscripts().size() < 6 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(mail.sessionTranscripts()).hasSize(6);
            mail.purgeRecords();
            assertThat(mail.messages()).isEmpty();
            assertThat(mail.sessionTranscripts()).isEmpty();
        }
    }

    /** The server keeps what the builder said at build(): changing the builder afterwards changes nothing. */
    @Test
    void theServerCopiesItsBuilderAtBuild() throws Exception {
        MailKit.Builder b = MailKit.builder().timeout(Duration.ofMillis(200));
        MailKit built = b.build();
        b.imap().pop3().tls().timeout(Duration.ofSeconds(30)).user("late@example.test", "pw");
        try (MailKit mail = built.start()) {
            assertThat(mail.smtpPort()).isPositive();
            assertThatThrownBy(mail::imapPort).as("imap() came after build()").isInstanceOf(IllegalStateException.class);
            long t0 = System.nanoTime();
            assertThatThrownBy(mail::takeMessage).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("within 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
            Mailer client = new Mailer(mail.smtpPort());
            client.send(client.simple("a@shop.test", "anyone@example.test", "still open", "x"));
            assertThat(mail.takeMessage().subject()).isEqualTo("still open");
        }
    }
}
