package dev.mailkit.smtp;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start, ports, close, and what a server leaves behind. */
class LifecycleTest {
    @TempDir
    Path dir;

    @Test
    void startReportsFreePortsPerRole() {
        try (SmtpServer s = SmtpServer.builder().mx(0).submission(0).users(SmtpTesting.users()).requireTlsForLogin(false)
                .sink(new InMemorySink()).build().start()) {
            assertThat(s.port()).isEqualTo(s.port(SmtpRole.MX)).isPositive();
            assertThat(s.port(SmtpRole.SUBMISSION)).isPositive().isNotEqualTo(s.port());
            assertThat(s.isRunning()).isTrue();
            assertThatThrownBy(() -> s.port(SmtpRole.SMTPS)).hasMessageContaining("no SMTPS listener");
            assertThatThrownBy(s::start).hasMessageContaining("already started");
        }
    }

    @Test
    void builderErrorsSayWhatToChange() {
        assertThatThrownBy(() -> SmtpServer.builder().build()).hasMessageContaining("set a sink");
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).smtps(0).build())
                .hasMessageContaining("needs tls(");
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).submission(0).build())
                .hasMessageContaining("set users(");
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).submission(0)
                .users(SmtpTesting.users()).build()).hasMessageContaining("requireTlsForLogin(false)");
        assertThatThrownBy(() -> SmtpServer.builder().localDomains("a b")).hasMessageContaining("not a domain");
        assertThatThrownBy(() -> SmtpServer.builder().hostName("bad host")).hasMessageContaining("hostName");
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).maxConnections(10)
                .maxConnectionsPerAddress(20).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxConnectionsPerAddress (20)").hasMessageContaining("maxConnections (10)");
        assertThatThrownBy(() -> SmtpServer.builder().sink(new InMemorySink()).requireTlsForLogin(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(");
    }

    @Test
    void bindConflictNamesTheAddress() {
        try (SmtpServer first = SmtpTesting.mx(new InMemorySink()).build().start()) {
            SmtpServer second = SmtpTesting.mx(new InMemorySink()).mx(first.port()).build();
            assertThatThrownBy(second::start).hasMessageContaining("cannot bind SMTP MX listener to 127.0.0.1:"
                    + first.port());
        }
    }

    /**
     * mailkit runs the accept loop on a pooled thread rather than SubEthaSMTP's server thread, and builds the
     * SubEthaSMTP server when the first connection arrives: a hundred servers with two listeners each, started and
     * stopped one after another, each on the ports of the one before and each answering a client, leave the JVM's
     * thread count where it was.
     */
    @Test
    void startAndStopCreateNoThreadsAndCloseFreesThePorts() throws Exception {
        for (int i = 0; i < 5; i++) { // the accept pool's threads exist
            twoListeners(0, 0).start().close();
        }
        int before = Thread.activeCount();
        int mx = 0;
        int submission = 0;
        for (int i = 0; i < 100; i++) {
            try (SmtpServer s = twoListeners(mx, submission).start()) {
                mx = s.port(SmtpRole.MX);
                submission = s.port(SmtpRole.SUBMISSION);
                if (i % 10 == 0) {
                    try (RawClient c = new RawClient(mx)) {
                        assertThat(c.readLine()).startsWith("220 ");
                        assertThat(c.command("QUIT")).startsWith("221 ");
                    }
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((mailkitThreads() > 0 || Thread.activeCount() > before + 2) && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the session-deadline sweeper ends soon after close() interrupts it
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(before + 2);
        assertThat(mailkitThreads()).isZero();
    }

    private static SmtpServer twoListeners(int mx, int submission) {
        return SmtpServer.builder().mx(mx).submission(submission).users(SmtpTesting.users()).requireTlsForLogin(false)
                .sink(new InMemorySink()).build();
    }

    @Test
    void closeReturnsWithinASecondWhileClientsHangMidData() throws Exception {
        InMemorySink sink = new InMemorySink();
        SmtpServer s = SmtpTesting.mx(sink).build().start();
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawClient c = new RawClient(s.port());
            c.readReply();
            if (i % 2 == 0) {
                c.command("EHLO c.test");
                c.command("MAIL FROM:<a@b.test>");
                c.command("RCPT TO:<x@local.test>");
                c.command("DATA");
                c.send("Subject: never finished\r\n\r\npartial"); // and then nothing
            }
            clients.add(c);
        }
        long t0 = System.nanoTime();
        s.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1000);
        s.close();
        assertThat(s.isRunning()).isFalse();
        for (RawClient c : clients) {
            assertThat(c.isClosedByServer()).isTrue();
            c.close();
        }
        assertThat(sink.count()).as("nothing half-written was delivered").isZero();
        assertThatThrownBy(s::start).hasMessageContaining("closed");
    }

    /** 10 000 connections in a row: no thread, file descriptor or socket is left behind. */
    @Test
    void tenThousandConnectionsLeaveNothingBehind() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        SmtpServer s = SmtpTesting.mx(new InMemorySink()).spool(MessageSpool.create(spoolDir, 0)).build().start();
        int port = s.port();
        // warm up, then count
        oneSession(port, true);
        int fdsBefore = openFileDescriptors();
        for (int i = 0; i < 10_000; i++) {
            oneSession(port, i % 10 == 0);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (openFileDescriptors() > fdsBefore + 5 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(openFileDescriptors()).as("file descriptors while running").isLessThanOrEqualTo(fdsBefore + 5);
        assertThat(mailkitThreads()).as("threads while running").isLessThan(200);
        s.close();
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mailkitThreads() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(mailkitThreads()).as("threads after close").isZero();
        assertThat(Files.list(spoolDir)).as("spool files").isEmpty();
    }

    private static void oneSession(int port, boolean withMessage) throws Exception {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            sock.setSoTimeout(5000);
            OutputStream out = sock.getOutputStream();
            String cmds = withMessage
                    ? "EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<x@local.test>\r\nDATA\r\nSubject: x\r\n\r\nhi\r\n.\r\nQUIT\r\n"
                    : "QUIT\r\n";
            out.write(cmds.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sock.getInputStream().readAllBytes(); // until the server closes after QUIT
        }
    }

    private static int openFileDescriptors() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }

    private static int mailkitThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mailkit-smtp")) {
                n++;
            }
        }
        return n;
    }
}
