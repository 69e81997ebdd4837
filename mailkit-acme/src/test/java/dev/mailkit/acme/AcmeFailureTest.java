package dev.mailkit.acme;

import dev.mailkit.acme.pebble.Pebble;
import dev.mailkit.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.mailkit.acme.AcmePebbleTest.builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes wrong: a CA that cannot be reached and a challenge the CA cannot validate are logged as one line, retried
 * with a doubling back-off, and never replace the certificate being served; bad settings are refused by the builder
 * with a message saying what to change.
 */
class AcmeFailureTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreachableCaIsRetriedWithBackOffAndTheServedCertificateStays() throws Exception {
        TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned("localhost"));
        X509Certificate before = tls.certificate();
        Failures failures = new Failures();
        URI dead = URI.create("https://localhost:" + Pebble.freePort() + "/dir");
        try (AcmeCertificates acme = AcmeCertificates.builder().directory(dead).domains("localhost")
                .storage(tmp.resolve("acme")).tls(tls).bindAddress(InetAddress.getLoopbackAddress()).httpPort(0)
                .retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).listener(failures).build().start()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (failures.list.size() < 3 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertThat(failures.list).hasSizeGreaterThanOrEqualTo(3);
            for (int i = 0; i < 3; i++) {
                Failure f = failures.list.get(i);
                assertThat(f.count).isEqualTo(i + 1);
                assertThat(f.reason).contains("account at " + dead).doesNotContain("\n");
                // 1 s, then 2 s, then 2 s (the maximum)
                long wait = Duration.between(f.at, f.next).toMillis();
                assertThat(wait).isBetween(i == 0 ? 900L : 1900L, i == 0 ? 1100L : 2100L);
            }
            assertThat(tls.certificate()).isEqualTo(before);
            assertThat(acme.certificate()).isEmpty();
            assertThatThrownBy(acme::renewNow).isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("account at " + dead);
            // the account key was made and kept; nothing half-written remains
            assertThat(Files.exists(tmp.resolve("acme/account.pem"))).isTrue();
            assertThat(Files.exists(tmp.resolve("acme/certificate.pem"))).isFalse();
            try (var files = Files.list(tmp.resolve("acme"))) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("account.pem");
            }
        }
    }

    @Test
    void aChallengeTheCaCannotValidateFailsWithTheCasProblem() throws Exception {
        int unanswered = Pebble.freePort(); // Pebble validates here, where nothing listens
        TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned("localhost"));
        X509Certificate before = tls.certificate();
        try (Pebble pebble = Pebble.start(Pebble.Options.validating(unanswered, Pebble.freePort()));
             AcmeCertificates acme = builder(pebble, tmp.resolve("acme"), tls).httpPort(0)
                     .retryBackoff(Duration.ofHours(1), Duration.ofHours(1)).build().start()) {
            assertThatThrownBy(acme::renewNow).isInstanceOf(IssuanceException.class)
                    .hasMessageContaining("http-01 challenge for localhost is invalid")
                    .hasMessageContaining("connection refused")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            assertThat(tls.certificate()).isEqualTo(before);
            assertThat(acme.nextAttempt()).hasValueSatisfying(at -> assertThat(at).isAfter(
                    Instant.now().plus(Duration.ofMinutes(59))));
        }
    }

    @Test
    void badSettingsAreRefusedWithWhatToChange() {
        TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned());
        Path storage = tmp.resolve("acme");
        URI dir = URI.create("https://acme.example/dir");
        assertThatThrownBy(() -> AcmeCertificates.builder().domains("a.example").storage(storage).tls(tls).build())
                .hasMessageContaining("directory(...) is required");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(URI.create("http://acme.example/dir"))
                .domains("a.example").storage(storage).tls(tls).build()).hasMessageContaining("https:// URL");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).storage(storage).tls(tls).build())
                .hasMessageContaining("domains(...) is required");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("*.example.com").storage(storage)
                .tls(tls).build()).hasMessageContaining("wildcard certificates need the DNS-01 challenge");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("bad_name.example")
                .storage(storage).tls(tls).build()).hasMessageContaining("'bad_name.example' is not a host name");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").contact("nobody")
                .storage(storage).tls(tls).build()).hasMessageContaining("'nobody' is not an e-mail address");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").tls(tls).build())
                .hasMessageContaining("storage(...) is required");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").storage(storage)
                .tls(TlsConfig.selfSigned()).build()).hasMessageContaining("TlsConfig.replaceable");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").storage(storage)
                .tls(tls).renewWhenRemaining(1.5).build()).hasMessageContaining("a fraction above 0 and below 1");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").storage(storage)
                .tls(tls).httpPort(70000).build()).hasMessageContaining("httpPort(70000)");
        assertThatThrownBy(() -> AcmeCertificates.builder().directory(dir).domains("a.example").storage(storage)
                .tls(tls).trustedCertificates(tmp.resolve("missing.pem")).build())
                .hasMessageContaining("trustedCertificates: cannot read").hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> ChallengeType.of("dns-01")).hasMessageContaining("use http-01 or tls-alpn-01");
    }

    record Failure(String reason, int count, Instant at, Instant next) {
    }

    static final class Failures implements AcmeListener {
        final List<Failure> list = new CopyOnWriteArrayList<>();

        @Override
        public void attemptFailed(String reason, int consecutiveFailures, Instant nextAttempt) {
            list.add(new Failure(reason, consecutiveFailures, Instant.now(), nextAttempt));
        }
    }
}
