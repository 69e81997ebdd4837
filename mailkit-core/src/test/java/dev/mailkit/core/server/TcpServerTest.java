package dev.mailkit.core.server;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpServerTest {
    /** A tiny line protocol: greets, echoes lines, STARTTLS upgrades, THREAD reports the thread kind. */
    static TcpServer.Builder echo(TlsConfig tls) {
        return TcpServer.builder("echo").tls(tls).handler(c -> {
            OutputStream out = c.output();
            out.write("+OK hi\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            while ((line = c.input().readLine(100)) != null) {
                if (line.equals("STARTTLS")) {
                    out.write("+OK go\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    int discarded = c.startTls();
                    out = c.output();
                    out.write(("+OK discarded " + discarded + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } else if (line.equals("THREAD")) {
                    out.write(("+OK " + Thread.currentThread() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                } else if (line.equals("HANG")) {
                    while (true) {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            return; // close() interrupts after its grace period
                        }
                    }
                } else {
                    out.write(("+OK " + line + (c.isTls() ? " (tls)" : "") + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
            }
        }).refusalMessage((why, addr) -> "-ERR too many connections (" + why + ")\r\n");
    }

    @Test
    void bindsAFreePortAndServes() throws Exception {
        try (TcpServer s = echo(null).build().start(); RawClient c = new RawClient(s.port())) {
            assertThat(s.port()).isPositive();
            assertThat(c.readLine()).isEqualTo("+OK hi");
            assertThat(c.command("hello")).isEqualTo("+OK hello");
        }
    }

    @Test
    void refusesBeyondTheLimitsWithTheProtocolsMessage() throws Exception {
        try (TcpServer s = echo(null).maxConnections(5).maxConnectionsPerAddress(2).build().start()) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    RawClient c = new RawClient(s.port());
                    assertThat(c.readLine()).isEqualTo("+OK hi");
                    clients.add(c);
                }
                try (RawClient third = new RawClient(s.port())) {
                    assertThat(third.readLine()).isEqualTo("-ERR too many connections (PER_ADDRESS)");
                    assertThat(third.isClosedByServer()).isTrue();
                }
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void closeReturnsWithinASecondWhileClientsHang() throws Exception {
        TcpServer s = echo(null).build().start();
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawClient c = new RawClient(s.port());
            c.readLine();
            if (i % 2 == 0) {
                c.send("HANG\r\n"); // the handler never returns on its own
            }
            clients.add(c);
        }
        long t0 = System.nanoTime();
        s.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        s.close(); // idempotent
        for (RawClient c : clients) {
            assertThat(c.isClosedByServer()).isTrue();
            c.close();
        }
        assertThatThrownBy(s::start).hasMessageContaining("closed");
    }

    @Test
    void sessionDeadlineClosesSlowClients() throws Exception {
        try (TcpServer s = echo(null).sessionTimeout(Duration.ofMillis(300)).build().start();
             RawClient c = new RawClient(s.port())) {
            assertThat(c.readLine()).isEqualTo("+OK hi");
            long t0 = System.nanoTime();
            assertThat(c.readLine()).isNull();
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
    }

    /**
     * Found by bench/connections.sh: a client that never reads kept its session thread blocked in a write, and its
     * connection open, for good (with TLS, even close() waited for that write). Now a write blocked longer than the
     * read timeout closes the connection, and close() never waits for a writer.
     */
    @Test
    void aClientThatNeverReadsIsClosedAfterTheReadTimeout() throws Exception {
        for (boolean tls : new boolean[] {false, true}) {
            java.util.concurrent.CompletableFuture<Throwable> ended = new java.util.concurrent.CompletableFuture<>();
            TlsConfig cfg = tls ? TlsConfig.selfSigned() : null;
            TcpServer.Builder b = TcpServer.builder("firehose").readTimeout(Duration.ofMillis(500)).handler(c -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    while (true) {
                        c.output().write(chunk);
                        c.output().flush();
                    }
                } catch (IOException e) {
                    ended.complete(e);
                    throw e;
                }
            });
            if (tls) {
                b.implicitTls(cfg);
            }
            try (TcpServer s = b.build().start()) {
                java.net.Socket client = tls ? trustingClient(cfg, s.port()) : new java.net.Socket("127.0.0.1", s.port());
                try (client) {
                    // never read: the server's writes fill the buffers and block
                    assertThat(ended.get(30, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(IOException.class);
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (s.connectionCount() > 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertThat(s.connectionCount()).as("tls " + tls).isZero();
                }
            }
        }
    }

    private static java.net.Socket trustingClient(TlsConfig cfg, int port) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return s;
    }

    @Test
    void readTimeoutEndsIdleSessions() throws Exception {
        try (TcpServer s = echo(null).readTimeout(Duration.ofMillis(200)).build().start();
             RawClient c = new RawClient(s.port())) {
            assertThat(c.readLine()).isEqualTo("+OK hi");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void overlongLinesAreRefusedWithoutBufferingThem() throws Exception {
        try (TcpServer s = echo(null).build().start(); RawClient c = new RawClient(s.port())) {
            c.readLine();
            c.send("x".repeat(5000) + "\r\n");
            assertThat(c.readLine()).isNull(); // the handler's readLine threw LineTooLongException: session ends
        }
    }

    /** Plaintext pipelined behind STARTTLS in the same segment must be thrown away, not run inside TLS. */
    @Test
    void startTlsDiscardsPlaintextSentAheadOfTheHandshake() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (TcpServer s = echo(tls).build().start(); RawClient c = new RawClient(s.port())) {
            c.readLine();
            c.send("STARTTLS\r\nINJECTED\r\n");
            assertThat(c.readLine()).isEqualTo("+OK go");
            c.startTls(tls.clientSslContext());
            assertThat(c.readLine()).isEqualTo("+OK discarded 10");
            assertThat(c.command("after")).isEqualTo("+OK after (tls)");
        }
    }

    @Test
    void implicitTls() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (TcpServer s = echo(null).implicitTls(tls).build().start()) {
            try (javax.net.ssl.SSLSocket sock = (javax.net.ssl.SSLSocket) tls.clientSslContext().getSocketFactory()
                    .createSocket("localhost", s.port())) {
                sock.setSoTimeout(5000);
                byte[] b = new byte[8];
                assertThat(sock.getInputStream().readNBytes(b, 0, 8)).isEqualTo(8);
                assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("+OK hi\r\n");
            }
        }
    }

    @Test
    void manyConnectionsInARowLeaveNoThreadsOrConnectionsBehind() throws Exception {
        int before = mailkitThreads();
        TcpServer s = echo(null).build().start();
        for (int i = 0; i < 2000; i++) {
            try (RawClient c = new RawClient(s.port())) {
                c.readLine();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (s.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(s.connectionCount()).isZero();
        s.close();
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mailkitThreads() > before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(mailkitThreads()).isLessThanOrEqualTo(before);
    }

    /**
     * Start and stop reuse pooled accept threads: a hundred servers started and stopped one after another leave
     * the JVM's live thread count where it was (give or take the pool's few idle threads), and close() frees the
     * port at once, so that a server can be started again on the same port straight away.
     */
    @Test
    void startAndStopCreateNoThreadsAndCloseFreesThePort() throws Exception {
        for (int i = 0; i < 5; i++) { // the pool's thread exists
            echo(null).build().start().close();
        }
        int before = Thread.activeCount();
        java.util.Set<Long> acceptThreads = new java.util.HashSet<>();
        int port = 0;
        for (int i = 0; i < 100; i++) {
            try (TcpServer s = echo(null).port(port).build().start(); RawClient c = new RawClient(s.port())) {
                assertThat(c.readLine()).isEqualTo("+OK hi"); // the accept loop runs, under its server's name
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("mailkit-echo-" + s.port() + "-accept")) {
                        acceptThreads.add(t.getId());
                    }
                }
                port = s.port(); // the next server binds the same port
            }
        }
        assertThat(acceptThreads).hasSize(1); // one pooled thread, back in the pool before close() returns
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 2);
        // a connection thread may still be on its way out when close() returns (its executor has terminated)
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (mailkitThreads() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(mailkitThreads()).isZero(); // no accept loop left running under its server's name
    }

    @Test
    void usesVirtualThreadsWhereTheJvmHasThem() throws Exception {
        try (TcpServer s = echo(null).build().start(); RawClient c = new RawClient(s.port())) {
            c.readLine();
            String thread = c.command("THREAD");
            if (Runtime.version().feature() >= 21) {
                assertThat(thread).contains("VirtualThread");
            } else {
                assertThat(thread).doesNotContain("VirtualThread").contains("mailkit-echo-");
            }
        }
    }

    @Test
    void bindFailureSaysWhere() throws Exception {
        try (TcpServer first = echo(null).build().start()) {
            TcpServer second = echo(null).port(first.port()).build();
            assertThatThrownBy(second::start).hasMessageContaining("cannot bind echo server to 127.0.0.1:" + first.port());
        }
    }

    private static int mailkitThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mailkit-echo")) {
                n++;
            }
        }
        return n;
    }

    static void closeAll(List<? extends AutoCloseable> l) throws IOException {
        for (AutoCloseable c : l) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
