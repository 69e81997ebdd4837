package dev.mailkit.examples;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A certificate from a file that expires soon is warned about at start, and its time left is a meter. */
class CertificateExpiryTest {
    @TempDir
    Path dir;

    @Test
    void aCertificateThatExpiresSoonIsWarnedAboutAndMetered() throws Exception {
        // openssl makes a certificate valid for 5 days
        ExternalTool.run(List.of(ExternalTool.require("openssl").toString(), "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve("k.pem").toString(), "-out",
                dir.resolve("c.pem").toString(), "-days", "5", "-subj", "/CN=mail.local.test", "-addext",
                "subjectAltName=DNS:mail.local.test"), null, Duration.ofSeconds(30)).assertSuccess();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0",
                "--domain", "local.test", "--data", dir.resolve("data").toString(), "--tls-cert",
                dir.resolve("c.pem").toString(), "--tls-key", dir.resolve("k.pem").toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true,
                StandardCharsets.UTF_8))) {
            Instant end = r.tls().certificate().getNotAfter().toInstant();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("  TLS certificate     " + dir.resolve("c.pem")
                    + "  WARNING: the certificate expires in 4 days, on " + end + ": renew it, then kill -HUP\n");
            ExternalTool.Result scrape = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c",
                    String.join("\n", "import sys, urllib.request",
                            "from prometheus_client.parser import text_string_to_metric_families",
                            "body = urllib.request.urlopen(sys.argv[1], timeout=10).read().decode()",
                            "for f in text_string_to_metric_families(body):",
                            "    for s in f.samples:",
                            "        if s.name == 'mailkit_tls_certificate_expiry_seconds': print(int(s.value))"),
                    "http://127.0.0.1:" + r.web().port() + "/metrics"), null, Duration.ofSeconds(30));
            assertThat(scrape.exitCode).as(scrape.toString()).isZero();
            assertThat(Long.parseLong(scrape.stdout.strip())).isBetween(4 * 86400L, 5 * 86400L);
        }
    }

    @Test
    void theWarningSaysHowLongIsLeftOrThatItIsTooLate() {
        X509Certificate c = TlsConfig.selfSigned("mail.local.test").certificate();
        Instant end = c.getNotAfter().toInstant();
        assertThat(Banner.expiry(c, end.minus(Duration.ofDays(30)))).isEmpty();
        assertThat(Banner.expiry(c, end.minus(Duration.ofDays(20)))).contains("the certificate expires in 20 days, on "
                + end + ": renew it, then kill -HUP");
        assertThat(Banner.expiry(c, end.minus(Duration.ofHours(30)))).contains("the certificate expires in 1 day, on "
                + end + ": renew it, then kill -HUP");
        assertThat(Banner.expiry(c, end.minus(Duration.ofHours(3)))).contains("the certificate expires in less than "
                + "a day, on " + end + ": renew it, then kill -HUP");
        assertThat(Banner.expiry(c, end.plusSeconds(1))).contains("the certificate EXPIRED on " + end
                + ": clients refuse it; renew it, then kill -HUP");
    }
}
