package dev.mailkit.spring;

import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The durable configuration of a real server: a Maildir store under {@code mailkit.store.directory} and a certificate
 * from PEM files ({@code mailkit.tls.certificate}, {@code mailkit.tls.private-key}) made by openssl.
 */
class StoreAndTlsFilesTest {
    @Test
    void mailIsFiledIntoMaildirsAndServedOverImapsWithTheCertificateFromFiles(@TempDir Path dir) throws Exception {
        Path openssl = ExternalTool.require("openssl");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        ExternalTool.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=mail.example.test", "-addext", "subjectAltName=IP:127.0.0.1"), null,
                Duration.ofSeconds(30)).assertSuccess();
        Path mail = dir.resolve("mail");
        MailKitAutoConfigurationTest.RUNNER.withPropertyValues("mailkit.smtp.enabled=true", "mailkit.imap.enabled=true",
                "mailkit.imap.implicit-tls-port=0", "mailkit.domains=example.test",
                "mailkit.users[0].address=ann@example.test", "mailkit.users[0].password=secret",
                "mailkit.store.type=maildir", "mailkit.store.directory=" + mail,
                "mailkit.tls.certificate=file:" + cert, "mailkit.tls.private-key=file:" + key).run(c -> {
                    MailKitServers s = c.getBean(MailKitServers.class);
                    assertThat(s.tls().orElseThrow().certificate().getSubjectX500Principal().getName())
                            .contains("CN=mail.example.test");
                    Clients.send(s.host(), s.smtpPort(), "bob@remote.test", "ann@example.test", "Kept on disk");
                    try (Stream<Path> files = Files.walk(mail.resolve("example.test").resolve("ann"))) {
                        assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                                .anyMatch(f -> f.contains("/new/") || f.contains("/cur/"));
                    }
                    assertThat(Clients.imapSubjects("imaps", s.host(), s.imapsPort(), "ann@example.test", "secret",
                            s.tls().orElseThrow().clientSslContext())).containsExactly("Kept on disk");
                });
    }

    @Test
    void aCertificateWithoutItsKeyIsReported(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not used");
        var analysis = FailureAnalysisTest.analysis(MailKitAutoConfigurationTest.RUNNER.withPropertyValues(
                "mailkit.imap.enabled=true", "mailkit.tls.certificate=file:" + cert));
        assertThat(analysis.getDescription()).contains("mailkit.tls.private-key (not set): a certificate needs both "
                + "its chain and its private key");
    }
}
