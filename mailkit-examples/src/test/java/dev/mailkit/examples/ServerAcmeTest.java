package dev.mailkit.examples;

import dev.mailkit.acme.pebble.Pebble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The runnable server with {@code tls.acme.*}: the real Pebble validates mailkit's TLS-ALPN-01 answer (no
 * PEBBLE_VA_ALWAYS_VALID), every listener (IMAPS here) serves the issued certificate, the meter counts it, and the
 * next start serves the stored certificate without the CA. Bad ACME settings are one-line errors.
 */
class ServerAcmeTest {
    @TempDir
    Path dir;

    @Test
    void theServerGetsItsCertificateFromTheCaAndKeepsItAcrossARestart() throws Exception {
        int tlsPort = Pebble.freePort();
        Path data = dir.resolve("data");
        X509Certificate issued;
        try (Pebble pebble = Pebble.start(Pebble.Options.validating(Pebble.freePort(), tlsPort))) {
            Path trust = Files.copy(pebble.trustFile(), dir.resolve("pebble-https.pem"));
            Path config = Files.writeString(dir.resolve("mailkit.yaml"), "tls:\n  acme:\n"
                    + "    directory: " + pebble.directory() + "\n"
                    + "    domains: [localhost]\n"
                    + "    contact: postmaster@example.com\n"
                    + "    challenge: tls-alpn-01\n"
                    + "    tls-port: " + tlsPort + "\n"
                    + "    trust: " + trust + "\n");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (MailkitServerMain.Running r = MailkitServerMain.start(options(config, data),
                    new PrintStream(buf, true, StandardCharsets.UTF_8))) {
                await(() -> r.tls().certificate().getIssuerX500Principal().getName().contains("Pebble"), pebble);
                issued = r.tls().certificate();
                assertThat(buf.toString(StandardCharsets.UTF_8)).contains("  TLS certificate     by ACME from "
                        + pebble.directory() + " for localhost, tls-alpn-01 answered on port " + tlsPort);
                X509Certificate seen = imapsCertificate(r.imap().implicitTlsPort(), pebble.root());
                assertThat(seen).isEqualTo(issued);
                await(() -> buf.toString(StandardCharsets.UTF_8).contains("ACME certificate issued: serial "
                        + issued.getSerialNumber().toString(16)), pebble);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + r.web().port() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("mailkit_acme_certificates_total{outcome=\"issued\"} 1.0");
                assertThat(Files.exists(data.resolve("acme/certificate.pem"))).isTrue();
            }
        }
        // Pebble is gone: the stored certificate is served at once, nothing is asked of the CA
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (MailkitServerMain.Running r = MailkitServerMain.start(options(dir.resolve("mailkit.yaml"), data),
                new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            assertThat(r.tls().certificate()).isEqualTo(issued);
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("ACME certificate read from storage: serial "
                    + issued.getSerialNumber().toString(16)).doesNotContain("ACME attempt failed");
        }
    }

    @Test
    void badAcmeSettingsAreOneLineErrors() throws Exception {
        String[][] cases = {
            {"--acme-domain", "mail.example.com"},
            {"--acme-directory", "https://acme.example/dir"},
            {"--acme-directory", "http://acme.example/dir", "--acme-domain", "mail.example.com"},
            {"--acme-directory", "https://acme.example/dir", "--acme-domain", "*.example.com"},
            {"--acme-directory", "https://acme.example/dir", "--acme-domain", "a.example", "--acme-challenge", "dns-01"},
            {"--acme-directory", "https://acme.example/dir", "--acme-domain", "a.example",
                "--acme-renew-when-remaining", "150%"},
            {"--acme-directory", "https://acme.example/dir", "--acme-domain", "a.example", "--acme-contact", "nobody"},
            {"--acme-directory", "https://acme.example/dir", "--acme-domain", "a.example", "--tls-cert", "c.pem",
                "--tls-key", "k.pem"},
        };
        String[] expected = {
            "--acme-domain: goes with --acme-directory URL (tls.acme.directory)",
            "--acme-directory: needs --acme-domain HOST (tls.acme.domains), the name clients connect to",
            "must be the CA's https:// directory URL, was 'http://acme.example/dir'",
            "--acme-domain: '*.example.com' is not a domain name",
            "must be http-01 or tls-alpn-01, was 'dns-01'",
            "must be a part of the lifetime above 0 and below 1, e.g. 33% or 0.33, was '150%'",
            "must be an e-mail address, was 'nobody'",
            "--acme-directory and --tls-cert: choose one source of the certificate",
        };
        for (int i = 0; i < cases.length; i++) {
            String[] args = cases[i];
            assertThatThrownBy(() -> ServerOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(ServerOptions.UsageException.class).hasMessageContaining(expected[i])
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        Path f = Files.writeString(dir.resolve("bad.yaml"), "tls:\n  acme:\n    directory: https://acme.example/dir\n"
                + "    domains: [a.example]\n    challenge: dns-01\n");
        assertThatThrownBy(() -> ServerOptions.parse("--config", f.toString()))
                .hasMessage(f + ":5: tls.acme.challenge: must be http-01 or tls-alpn-01, was 'dns-01'");
    }

    @Test
    void theReadmeAcmeExampleSaysWhatItMeans() throws Exception {
        Path example = Path.of("..", "docs", "mailkit-acme.yaml");
        ServerOptions o = ServerOptions.parse("--config", example.toString());
        assertThat(o.get(AcmeOptions.DIRECTORY)).isEqualTo("https://acme-v02.api.letsencrypt.org/directory");
        assertThat(o.get(AcmeOptions.DOMAINS)).containsExactly("mail.example.org");
        assertThat(o.get(AcmeOptions.CONTACT)).isEqualTo("postmaster@example.org");
        assertThat(o.get(AcmeOptions.CHALLENGE)).isEqualTo("http-01");
        assertThat(o.get(AcmeOptions.HTTP_PORT)).isEqualTo(80);
        assertThat(o.get(AcmeOptions.STORAGE)).isEqualTo(Path.of("/var/lib/mailkit/acme"));
        assertThat(o.get(AcmeOptions.RENEW)).isEqualTo(0.33);
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String line : Files.readAllLines(example)) {
            assertThat(readme).as("README shows docs/mailkit-acme.yaml as it is").contains(line.isEmpty() ? ""
                    : "   " + line + "\n");
        }
    }

    private static ServerOptions options(Path config, Path data) throws Exception {
        return ServerOptions.parse("--config", config.toString(), "--smtp-port", "0", "--submission-port", "0",
                "--smtps-port", "0", "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                "--managesieve-port", "0", "--http-port", "0", "--data", data.toString());
    }

    private static X509Certificate imapsCertificate(int port, X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
            s.setSoTimeout(30_000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            byte[] greeting = new byte[4];
            assertThat(s.getInputStream().readNBytes(greeting, 0, 4)).isEqualTo(4);
            assertThat(new String(greeting, StandardCharsets.US_ASCII)).isEqualTo("* OK");
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, Pebble pebble) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 90 s; pebble said:\n" + pebble.log());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
