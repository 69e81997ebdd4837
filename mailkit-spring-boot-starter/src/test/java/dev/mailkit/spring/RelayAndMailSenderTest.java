package dev.mailkit.spring;

import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mailkit.mail-sender.enabled}: the application's JavaMailSender sends through the embedded server; with the
 * relay, mail to other domains goes through the durable queue to the smart host (a mailkit test server here),
 * DKIM-signed with the key of {@code mailkit.relay.dkim.*}.
 */
class RelayAndMailSenderTest {
    @Test
    void theApplicationsMailSenderRelaysThroughTheQueueToTheSmartHostSigned(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        try (MailKit smartHost = MailKit.builder().build().start()) {
            MailKitAutoConfigurationTest.RUNNER
                    .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
                    .withPropertyValues("mailkit.smtp.enabled=true", "mailkit.domains=shop.test",
                            "mailkit.smtp.trusted-networks=127.0.0.1", "mailkit.relay.enabled=true",
                            "mailkit.relay.directory=" + dir.resolve("queue"),
                            "mailkit.relay.smart-host.host=127.0.0.1",
                            "mailkit.relay.smart-host.port=" + smartHost.smtpPort(),
                            "mailkit.relay.dkim.domain=shop.test", "mailkit.relay.dkim.selector=s1",
                            "mailkit.relay.dkim.private-key=file:" + key,
                            "mailkit.mail-sender.enabled=true",
                            "spring.mail.host=ignored.invalid") // Spring Boot's own sender steps back
                    .run(c -> {
                        assertThat(c).hasSingleBean(JavaMailSender.class);
                        JavaMailSender sender = c.getBean(JavaMailSender.class);
                        MimeMessage m = sender.createMimeMessage();
                        MimeMessageHelper h = new MimeMessageHelper(m, false, "UTF-8");
                        h.setFrom("orders@shop.test");
                        h.setTo("customer@elsewhere.test");
                        h.setSubject("Your order");
                        h.setText("It ships tomorrow.");
                        sender.send(m);

                        ReceivedMail got = smartHost.takeMessage();
                        DkimSigner signer = (DkimSigner) c.getBean(MessageSigner.class);
                        assertThat(got).hasSubject("Your order").hasOnlyRecipients("customer@elsewhere.test")
                                .isDkimSignedBy("shop.test", signer.dnsRecord().orElseThrow());
                        MailKitServers s = c.getBean(MailKitServers.class);
                        assertThat(s.hasRelay()).isTrue();
                        assertThat(s.relayQueueSize()).isPresent();
                    });
        }
    }

    @Test
    void withoutTheRelayARemoteRecipientIsRefusedEvenFromTheApplication() {
        MailKitAutoConfigurationTest.RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.domains=shop.test",
                "mailkit.users[0].address=ann@shop.test", "mailkit.users[0].password=pw",
                "mailkit.mail-sender.enabled=true").run(c -> {
                    JavaMailSender sender = c.getBean(JavaMailSender.class);
                    MimeMessage m = sender.createMimeMessage();
                    new MimeMessageHelper(m).setTo("x@elsewhere.test");
                    m.setFrom("ann@shop.test");
                    m.setText("no");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.send(m))
                            .hasStackTraceContaining("554 5.7.1");
                    MimeMessage local = sender.createMimeMessage();
                    new MimeMessageHelper(local).setTo("ann@shop.test");
                    local.setFrom("app@shop.test");
                    local.setText("yes");
                    sender.send(local);
                    assertThat(c.getBean(MailKitServers.class).messagesDelivered()).isEqualTo(1);
                });
    }

    @Test
    void theMailSenderLogsInOnTheSubmissionPortOverStartTlsTrustingTheServersCertificate() {
        MailKitAutoConfigurationTest.RUNNER.withUserConfiguration(MailKitAutoConfigurationTest.SinkConfig.class)
                .withPropertyValues("mailkit.smtp.enabled=true", "mailkit.smtp.submission-port=0",
                        "mailkit.tls.self-signed=true", "mailkit.domains=shop.test",
                        "mailkit.users[0].address=app@shop.test", "mailkit.users[0].password=app-pw",
                        "mailkit.mail-sender.enabled=true", "mailkit.mail-sender.username=app@shop.test",
                        "mailkit.mail-sender.password=app-pw").run(c -> {
                    JavaMailSender sender = c.getBean(JavaMailSender.class);
                    MimeMessage m = sender.createMimeMessage();
                    new MimeMessageHelper(m).setTo("ann@shop.test");
                    m.setFrom("app@shop.test");
                    m.setSubject("over the submission port");
                    m.setText("signed in");
                    sender.send(m);
                    var got = c.getBean(dev.mailkit.core.sink.InMemorySink.class).poll(java.time.Duration.ofSeconds(10))
                            .orElseThrow();
                    assertThat(got.envelope().authenticatedUser()).contains("app@shop.test");
                    assertThat(got.envelope().tls()).isPresent();
                });
    }
}
