package dev.mailkit.core.tls;

import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsConfigTest {
    @TempDir
    Path dir;

    /** A one-connection TLS echo server: reads a line, writes it back. */
    private static CompletableFuture<String> serveOnce(ServerSocket ss, TlsConfig tls) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket plain = ss.accept(); SSLSocket s = tls.wrap(plain)) {
                s.startHandshake();
                byte[] b = new byte[5];
                int n = s.getInputStream().readNBytes(b, 0, 5);
                s.getOutputStream().write(b, 0, n);
                s.getOutputStream().flush();
                return s.getSession().getProtocol();
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
    }

    private static String clientRoundTrip(int port, SSLContext ctx, String host, String... protocols) throws IOException {
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
            if (protocols.length > 0) {
                p.setProtocols(protocols);
            }
            s.setSSLParameters(p);
            s.startHandshake();
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void generatedCertificateIsTrustedByItsClientContextWithHostnameCheck() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        X509Certificate cert = tls.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThat(cert.getSubjectAlternativeNames()).extracting(l -> l.get(1).toString())
                .contains("localhost", "127.0.0.1");
        assertThat(tls.isSelfSigned()).isTrue();
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<String> server = serveOnce(ss, tls);
            assertThat(clientRoundTrip(ss.getLocalPort(), tls.clientSslContext(), "localhost")).isEqualTo("hello");
            assertThat(server.get()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<String> server = serveOnce(ss, tls);
            assertThatThrownBy(() -> clientRoundTrip(ss.getLocalPort(), tls.clientSslContext(), "localhost", "TLSv1.1"))
                    .isInstanceOf(IOException.class);
            assertThat(server.get()).startsWith("failed");
        }
    }

    @Test
    void anotherServersCertificateIsNotTrusted() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (ServerSocket ss = new ServerSocket(0)) {
            serveOnce(ss, tls);
            assertThatThrownBy(() -> clientRoundTrip(ss.getLocalPort(),
                    TlsConfig.selfSigned().clientSslContext(), "localhost")).isInstanceOf(SSLHandshakeException.class);
        }
    }

    /** OpenSSL (through Python's ssl module, an independent TLS stack) verifies the generated certificate. */
    @Test
    void opensslVerifiesTheGeneratedCertificate() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        Path ca = tls.writeCertificatePem(dir.resolve("ca.pem"));
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<String> server = serveOnce(ss, tls);
            String script = "import socket,ssl,sys\n"
                    + "ctx=ssl.create_default_context(cafile=sys.argv[1])\n"
                    + "s=ctx.wrap_socket(socket.create_connection(('127.0.0.1',int(sys.argv[2]))),server_hostname='localhost')\n"
                    + "s.sendall(b'hello'); print(s.recv(5).decode(), s.version())\n";
            ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script,
                    ca.toString(), String.valueOf(ss.getLocalPort())), null, Duration.ofSeconds(20));
            assertThat(r.exitCode).as(r.toString()).isZero();
            assertThat(r.stdout).contains("hello TLSv1.3");
            assertThat(server.get()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void loadsOpensslPemFilesInEveryKeyFormat() throws Exception {
        Path openssl = ExternalTool.require("openssl");
        for (String[] kind : new String[][] {
                {"rsa", "traditional"}, {"rsa", "pkcs8"}, {"ec", "traditional"}, {"ec", "pkcs8"}}) {
            Path key = dir.resolve(kind[0] + "-" + kind[1] + ".key");
            Path crt = dir.resolve(kind[0] + "-" + kind[1] + ".crt");
            List<String> gen = kind[0].equals("rsa")
                    ? List.of(openssl.toString(), "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
                    : List.of(openssl.toString(), "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
            String pem = ExternalTool.run(gen, null, Duration.ofSeconds(30)).assertSuccess().stdout;
            if (kind[1].equals("traditional")) {
                Path tmp = dir.resolve("tmp.key");
                Files.writeString(tmp, pem);
                List<String> conv = kind[0].equals("rsa")
                        ? List.of(openssl.toString(), "rsa", "-in", tmp.toString(), "-traditional")
                        : List.of(openssl.toString(), "ec", "-in", tmp.toString()); // SEC1 is ec's default output
                pem = ExternalTool.run(conv, null, Duration.ofSeconds(30)).assertSuccess().stdout;
                assertThat(pem).contains(kind[0].equals("rsa") ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY");
            }
            Files.writeString(key, pem);
            ExternalTool.run(List.of(openssl.toString(), "req", "-new", "-x509", "-key", key.toString(), "-out",
                    crt.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"),
                    null, Duration.ofSeconds(30)).assertSuccess();
            TlsConfig tls = TlsConfig.fromPem(crt, key);
            assertThat(tls.isSelfSigned()).isFalse();
            try (ServerSocket ss = new ServerSocket(0)) {
                serveOnce(ss, tls);
                assertThat(clientRoundTrip(ss.getLocalPort(), tls.clientSslContext(), "localhost"))
                        .as(kind[0] + " " + kind[1]).isEqualTo("hello");
            }
        }
    }

    @Test
    void pkcs12AndErrorsThatSayWhatToDo() throws Exception {
        TlsConfig gen = TlsConfig.selfSigned();
        Path p12 = dir.resolve("k.p12");
        Path openssl = ExternalTool.require("openssl");
        ExternalTool.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve("k.pem").toString(), "-out",
                dir.resolve("c.pem").toString(), "-days", "2", "-subj", "/CN=localhost"), null,
                Duration.ofSeconds(30)).assertSuccess();
        ExternalTool.run(List.of(openssl.toString(), "pkcs12", "-export", "-inkey", dir.resolve("k.pem").toString(),
                "-in", dir.resolve("c.pem").toString(), "-out", p12.toString(), "-passout", "pass:secret"), null,
                Duration.ofSeconds(30)).assertSuccess();
        TlsConfig fromP12 = TlsConfig.fromPkcs12(p12, "secret".toCharArray());
        assertThat(fromP12.certificate().getSubjectX500Principal().getName()).contains("CN=localhost");
        assertThatThrownBy(() -> TlsConfig.fromPkcs12(p12, "wrong".toCharArray()))
                .hasMessageContaining("wrong password");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> TlsConfig.fromPem(empty, empty)).hasMessageContaining("BEGIN CERTIFICATE");
        Path encrypted = Files.writeString(dir.resolve("enc.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsConfig.fromPem(dir.resolve("c.pem"), encrypted))
                .hasMessageContaining("encrypted").hasMessageContaining("openssl pkcs8");
        assertThat(gen.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    /**
     * A replaced certificate: a client that keeps its TLS session open goes on talking under the old certificate,
     * the next handshake gets the new one.
     */
    @Test
    void aReplacedCertificateServesTheNextHandshakeWhileOpenSessionsKeepTheirs() throws Exception {
        TlsConfig first = TlsConfig.selfSigned("localhost");
        TlsConfig second = TlsConfig.selfSigned("localhost");
        TlsConfig tls = TlsConfig.replaceable(first);
        assertThat(tls.isReplaceable()).isTrue();
        assertThat(first.isReplaceable()).isFalse();
        assertThatThrownBy(() -> first.replace(second)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TlsConfig.replaceable");
        try (ServerSocket ss = new ServerSocket(0)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    SSLSocket s = tls.wrap(ss.accept());
                    s.startHandshake();
                    return s;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (SSLSocket open = (SSLSocket) first.clientSslContext().getSocketFactory().createSocket("127.0.0.1",
                    ss.getLocalPort())) {
                open.setSoTimeout(10_000);
                open.startHandshake();
                Socket serverSide = accepted.get(10, java.util.concurrent.TimeUnit.SECONDS);
                tls.replace(second);
                assertThat(tls.certificate()).isEqualTo(second.certificate());
                // the open session goes on
                open.getOutputStream().write('x');
                assertThat(serverSide.getInputStream().read()).isEqualTo('x');
                assertThat(open.getSession().getPeerCertificates()[0]).isEqualTo(first.certificate());
                // a new connection gets the new certificate: a client trusting only the old one fails
                CompletableFuture<String> next = serveOnce(ss, tls);
                assertThat(clientRoundTrip(ss.getLocalPort(), second.clientSslContext(), "localhost")).isEqualTo("hello");
                next.get(10, java.util.concurrent.TimeUnit.SECONDS);
                serveOnce(ss, tls);
                assertThatThrownBy(() -> clientRoundTrip(ss.getLocalPort(), first.clientSslContext(), "localhost"))
                        .isInstanceOf(SSLHandshakeException.class);
                serverSide.close();
            }
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedNamingBothFiles() throws Exception {
        Path openssl = ExternalTool.require("openssl");
        for (String alg : new String[] {"RSA", "EC"}) {
            List<String> gen = alg.equals("RSA")
                    ? List.of(openssl.toString(), "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")
                    : List.of(openssl.toString(), "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
            Path key = Files.writeString(dir.resolve(alg + ".key"), ExternalTool.run(gen, null, Duration.ofSeconds(30))
                    .assertSuccess().stdout);
            Path other = Files.writeString(dir.resolve(alg + "-other.key"), ExternalTool.run(gen, null,
                    Duration.ofSeconds(30)).assertSuccess().stdout);
            Path crt = dir.resolve(alg + ".crt");
            ExternalTool.run(List.of(openssl.toString(), "req", "-new", "-x509", "-key", key.toString(), "-out",
                    crt.toString(), "-days", "2", "-subj", "/CN=localhost"), null, Duration.ofSeconds(30)).assertSuccess();
            assertThat(TlsConfig.fromPem(crt, key).certificate()).isNotNull();
            assertThatThrownBy(() -> TlsConfig.fromPem(crt, other)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(crt + " and " + other + ": the private key does not belong to the certificate ("
                            + alg + " key, certificate for CN=localhost)");
        }
    }
}
