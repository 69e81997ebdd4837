package dev.mailkit.acme.pebble;

import dev.mailkit.core.tls.Pem;
import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Let's Encrypt's ACME test server Pebble (Debian package {@code pebble}), started by a test on free loopback ports:
 * its HTTPS certificate is made for the test (openssl; {@link #trustFile()} is what a client trusts), and its
 * validation authority connects to the challenge ports the test names ({@code httpPort}/{@code tlsPort}), resolving
 * {@code localhost} from the hosts file. Validation is real ({@code PEBBLE_VA_ALWAYS_VALID} is not set unless
 * {@link Options#alwaysValid}); no random sleeps, no rejected nonces, no reused authorizations (each order is
 * validated again). Closing it stops the process and deletes its directory.
 */
public final class Pebble implements AutoCloseable {
    /** How Pebble runs. */
    public record Options(int httpPort, int tlsPort, long validitySeconds, boolean alwaysValid) {
        /** Challenges validated on these ports, certificates valid for Pebble's default (5 years). */
        public static Options validating(int httpPort, int tlsPort) {
            return new Options(httpPort, tlsPort, 0, false);
        }

        /** Certificates valid for this many seconds. */
        public Options validFor(long seconds) {
            return new Options(httpPort, tlsPort, seconds, alwaysValid);
        }
    }

    private final Path dir;
    private final Process process;
    private final int port;
    private final int managementPort;

    private Pebble(Path dir, Process process, int port, int managementPort) {
        this.dir = dir;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts Pebble and waits until its directory answers (30 s at most). */
    public static Pebble start(Options o) {
        Path pebble = ExternalTool.require("pebble");
        ExternalTool.require("openssl");
        try {
            Path dir = Files.createTempDirectory("mkacme-pebble-");
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            ExternalTool.Result r = ExternalTool.run(List.of("openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key.toString(),
                    "-out", cert.toString()), new byte[0], Duration.ofSeconds(30));
            if (r.exitCode != 0) {
                throw new IllegalStateException("openssl req failed: " + r.stderr);
            }
            int port = freePort();
            int management = freePort();
            String validity = o.validitySeconds() > 0 ? ",\n    \"certificateValidityPeriod\": " + o.validitySeconds()
                    : "";
            Files.writeString(dir.resolve("pebble-config.json"), "{\n  \"pebble\": {\n"
                    + "    \"listenAddress\": \"127.0.0.1:" + port + "\",\n"
                    + "    \"managementListenAddress\": \"127.0.0.1:" + management + "\",\n"
                    + "    \"certificate\": \"" + cert + "\",\n    \"privateKey\": \"" + key + "\",\n"
                    + "    \"httpPort\": " + o.httpPort() + ",\n    \"tlsPort\": " + o.tlsPort() + ",\n"
                    + "    \"ocspResponderURL\": \"\",\n    \"externalAccountBindingRequired\": false" + validity
                    + "\n  }\n}\n");
            ProcessBuilder pb = new ProcessBuilder(pebble.toString(), "-config", "pebble-config.json")
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("pebble.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("PEBBLE_VA_NOSLEEP", "1");
            env.put("PEBBLE_WFE_NONCEREJECT", "0");
            env.put("PEBBLE_AUTHZREUSE", "0");
            if (o.alwaysValid()) {
                env.put("PEBBLE_VA_ALWAYS_VALID", "1");
            }
            Process p = pb.start();
            Pebble pebbleServer = new Pebble(dir, p, port, management);
            pebbleServer.awaitListening();
            return pebbleServer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start pebble", e);
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pebble exited with " + process.exitValue() + ": " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
        close();
        throw new IllegalStateException("pebble did not listen on port " + port + " within 30 s: " + log());
    }

    /** A free loopback port (bound and released: the program given it binds it at once). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The ACME directory URL. */
    public URI directory() {
        return URI.create("https://localhost:" + port + "/dir");
    }

    /** The PEM file of the certificate of Pebble's HTTPS (what an ACME client trusts). */
    public Path trustFile() {
        return dir.resolve("cert.pem");
    }

    /** The root CA that signs Pebble's certificates (new at each start), from its management interface. */
    public X509Certificate root() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("pebble-https", Pem.certificates(
                    Files.readString(trustFile(), StandardCharsets.US_ASCII), "pebble").get(0));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + managementPort + "/roots/0")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Pem.certificates(r.body(), "pebble /roots/0").get(0);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read pebble's root: " + e, e);
        }
    }

    /** Pebble's output so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pebble.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
