package dev.mailkit.acme;

import dev.mailkit.acme.pebble.Pebble;
import dev.mailkit.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates from the real Pebble, with its validation authority checking mailkit's own HTTP-01 and TLS-ALPN-01
 * responders (no PEBBLE_VA_ALWAYS_VALID): issued, stored owner-only, swapped into the TLS configuration, and read
 * back from storage by the next start without asking the CA.
 */
class AcmePebbleTest {
    @TempDir
    Path tmp;

    @Test
    void http01IssuesTheCertificateAndStoresItOwnerOnly() throws Exception {
        issuesWith(ChallengeType.HTTP_01);
    }

    @Test
    void tlsAlpn01IssuesTheCertificate() throws Exception {
        issuesWith(ChallengeType.TLS_ALPN_01);
    }

    private void issuesWith(ChallengeType type) throws Exception {
        int challengePort = Pebble.freePort();
        Pebble.Options o = type == ChallengeType.HTTP_01 ? Pebble.Options.validating(challengePort, Pebble.freePort())
                : Pebble.Options.validating(Pebble.freePort(), challengePort);
        TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned("localhost"));
        X509Certificate selfSigned = tls.certificate();
        Events events = new Events();
        Path storage = tmp.resolve("acme");
        try (Pebble pebble = Pebble.start(o);
             AcmeCertificates acme = builder(pebble, storage, tls).challenge(type).httpPort(challengePort)
                     .tlsAlpnPort(challengePort).listener(events).build().start()) {
            assertThat(acme.challengePort()).isEqualTo(challengePort);
            await(() -> !events.installed.isEmpty() || !events.failures.isEmpty(), pebble);
            assertThat(events.failures).as(pebble.log()).isEmpty();
            X509Certificate served = tls.certificate();
            assertThat(served).isNotEqualTo(selfSigned).isEqualTo(events.installed.get(0));
            assertThat(served.getIssuerX500Principal().getName()).contains("Pebble Intermediate");
            assertThat(served.getSubjectAlternativeNames()).contains(List.of(2, "localhost"));
            // the chain served verifies up to Pebble's root
            List<X509Certificate> chain = tls.certificateChain();
            assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
            chain.get(0).verify(chain.get(1).getPublicKey());
            chain.get(chain.size() - 1).verify(pebble.root().getPublicKey());
            // validated for real (no PEBBLE_VA_ALWAYS_VALID): Pebble connected to the responder on challengePort
            assertThat(pebble.log()).contains("set VALID by completed challenge");
            if (type == ChallengeType.HTTP_01) {
                assertThat(pebble.log()).contains("validate w/ HTTP: http://localhost:" + challengePort
                        + "/.well-known/acme-challenge/");
            }

            assertThat(perms(storage)).isEqualTo("rwx------");
            for (String f : List.of("account.pem", "key.pem", "certificate.pem")) {
                assertThat(perms(storage.resolve(f))).as(f).isEqualTo("rw-------");
            }
            assertThat(acme.certificateFile()).isEqualTo(storage.resolve("certificate.pem"));
            assertThat(acme.nextAttempt()).hasValueSatisfying(at -> assertThat(at).isAfter(
                    served.getNotBefore().toInstant().plus(Duration.ofDays(300))));
        }
        // a restart serves the stored certificate without the CA (whose port is closed now)
        TlsConfig again = TlsConfig.replaceable(TlsConfig.selfSigned("localhost"));
        Events later = new Events();
        try (AcmeCertificates acme = AcmeCertificates.builder().directory(java.net.URI.create(
                        "https://localhost:" + Pebble.freePort() + "/dir")).domains("localhost").storage(storage)
                .tls(again).httpPort(0).tlsAlpnPort(0).bindAddress(InetAddress.getLoopbackAddress()).listener(later)
                .build().start()) {
            assertThat(again.certificate()).isEqualTo(events.installed.get(0));
            assertThat(later.installed).containsExactly(events.installed.get(0));
            assertThat(later.fromDisk).isTrue();
            assertThat(acme.certificate()).contains(events.installed.get(0));
        }
    }

    static AcmeCertificates.Builder builder(Pebble pebble, Path storage, TlsConfig tls) {
        return AcmeCertificates.builder().directory(pebble.directory()).trustedCertificates(pebble.trustFile())
                .domains("localhost").contact("postmaster@example.com").storage(storage).tls(tls)
                .bindAddress(InetAddress.getLoopbackAddress()).timeout(Duration.ofSeconds(60));
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static void await(BooleanSupplier condition, Pebble pebble) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s; pebble said:\n" + pebble.log());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    /** What the listener heard. */
    static final class Events implements AcmeListener {
        final List<X509Certificate> installed = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        volatile boolean fromDisk;

        @Override
        public void certificateInstalled(X509Certificate certificate, boolean issued, java.time.Instant renewAt) {
            installed.add(certificate);
            fromDisk |= !issued;
        }

        @Override
        public void attemptFailed(String reason, int consecutiveFailures, java.time.Instant nextAttempt) {
            failures.add(consecutiveFailures + ": " + reason);
        }
    }
}
