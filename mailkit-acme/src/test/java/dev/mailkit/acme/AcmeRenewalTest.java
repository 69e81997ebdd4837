package dev.mailkit.acme;

import dev.mailkit.acme.pebble.Pebble;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.Pem;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static dev.mailkit.acme.AcmePebbleTest.await;
import static dev.mailkit.acme.AcmePebbleTest.builder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renewal while a client keeps a TLS session open: Pebble issues 30-second certificates, mailkit renews when 80% of
 * the lifetime is left (by its own schedule, not by a call), validating HTTP-01 again each time; the SMTPS session
 * opened on the first certificate keeps working on it, and a new connection gets the renewed one (its serial is the
 * one in certificate.pem).
 */
class AcmeRenewalTest {
    @TempDir
    Path tmp;

    @Test
    void renewedCertificateReachesNewConnectionsWhileAnOpenSessionKeepsWorking() throws Exception {
        int httpPort = Pebble.freePort();
        TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned("localhost"));
        AcmePebbleTest.Events events = new AcmePebbleTest.Events();
        try (Pebble pebble = Pebble.start(Pebble.Options.validating(httpPort, Pebble.freePort()).validFor(30));
             SmtpServer smtp = SmtpServer.builder().smtps(0).tls(tls).localDomains("localhost")
                     .users(InMemoryUserDirectory.builder().build().addUser("user@localhost", "secret"))
                     .sink(new InMemorySink()).build().start();
             AcmeCertificates acme = builder(pebble, tmp.resolve("acme"), tls).httpPort(httpPort)
                     .renewWhenRemaining(0.8).retryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5))
                     .listener(events).build().start()) {
            await(() -> !events.installed.isEmpty(), pebble);
            X509Certificate first = events.installed.get(0);
            SSLContext client = trusting(pebble.root());

            try (Session open = new Session(client, smtp.port())) {
                assertThat(open.serverCertificate().getSerialNumber()).isEqualTo(first.getSerialNumber());
                await(() -> events.installed.stream().anyMatch(c -> !c.getSerialNumber()
                        .equals(first.getSerialNumber())), pebble);
                X509Certificate renewed = tls.certificate();
                assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
                assertThat(events.failures).isEmpty();

                // the open session goes on, on the certificate it began with
                assertThat(open.command("NOOP")).startsWith("250");
                assertThat(open.command("EHLO client.example")).startsWith("250");
                assertThat(open.serverCertificate().getSerialNumber()).isEqualTo(first.getSerialNumber());

                // a new connection gets the renewed certificate, the one on disk
                try (Session fresh = new Session(client, smtp.port())) {
                    X509Certificate seen = fresh.serverCertificate();
                    assertThat(seen.getSerialNumber()).isNotEqualTo(first.getSerialNumber())
                            .isIn(events.installed.stream().map(X509Certificate::getSerialNumber).toArray());
                    // what is served is what is on disk (30-second certificates are renewed every few seconds:
                    // compare between two renewals)
                    await(() -> tls.certificate().equals(onDisk(acme)), pebble);
                    assertThat(fresh.command("NOOP")).startsWith("250");
                }
                assertThat(open.command("QUIT")).startsWith("221");
            }
        }
    }

    private static X509Certificate onDisk(AcmeCertificates acme) {
        try {
            return Pem.certificates(Files.readString(acme.certificateFile()), "certificate.pem").get(0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("pebble-root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** An SMTPS session that checks the server's chain against Pebble's root and the name localhost. */
    static final class Session implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Session(SSLContext ctx, int port) throws IOException {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
            plain.setSoTimeout(30_000);
            socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
            SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(p);
            socket.startHandshake();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
            assertThat(reply()).startsWith("220");
        }

        X509Certificate serverCertificate() throws IOException {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        private String reply() throws IOException {
            String line;
            StringBuilder all = new StringBuilder();
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed after: " + all);
                }
                all.append(line).append('\n');
            } while (line.length() > 3 && line.charAt(3) == '-');
            return all.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
