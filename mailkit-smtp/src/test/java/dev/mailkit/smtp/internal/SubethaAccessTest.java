package dev.mailkit.smtp.internal;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What mailkit relies on in SubEthaSMTP ({@link SubethaAccess}'s Javadoc lists it), checked member by member and over
 * a socket. When a SubEthaSMTP upgrade breaks one, the failure says which, and which version mailkit was written for:
 * read {@link SubethaAccess} before changing {@code subethasmtp.version}.
 */
class SubethaAccessTest {
    private static final TlsConfig TLS = TlsConfig.selfSigned();

    static String assumption(String what) {
        return "SubEthaSMTP " + SubethaAccess.Assumptions.detectedVersion() + " breaks what mailkit's SubethaAccess assumes of "
                + "SubEthaSMTP " + SubethaAccess.ASSUMED_VERSION + ": " + what;
    }

    @Test
    void theMembersMailkitReachesAreThere() {
        assertThat(SubethaAccess.Assumptions.broken()).as(assumption("its fields, constructors and methods")).isEmpty();
    }

    /** Each reply SubEthaSMTP's session loop writes itself still has the text mailkit recognises and rewrites. */
    @Test
    void theRepliesSubethaWritesItselfAreRewrittenWithEnhancedStatusCodes() throws Exception {
        Map<String, byte[]> provocations = new LinkedHashMap<>();
        provocations.put("500 5.5.2 Command not recognized", ascii("XYZZY\r\n"));
        provocations.put("500 5.5.2 Syntax error, command unrecognized", ascii("AB\r\n"));
        provocations.put("500 5.5.2 Bare CR or LF in command line (lines must end with CRLF), closing connection",
                ascii("NOOP\nNOOP\r\n"));
        provocations.put("500 5.5.2 Invalid UTF-8 in command line, closing connection",
                new byte[] {'V', 'R', 'F', 'Y', ' ', (byte) 0xC3, (byte) 0x28, '\r', '\n'});
        provocations.put("500 5.5.2 Command line too long (at most 998 characters), closing connection",
                ascii("NOOP " + "x".repeat(1200) + "\r\n"));
        try (SmtpServer s = SmtpServer.builder().sink(new InMemorySink()).idleTimeout(Duration.ofMillis(300)).build()
                .start()) {
            for (Map.Entry<String, byte[]> p : provocations.entrySet()) {
                try (RawClient c = new RawClient(s.port())) {
                    c.readReply();
                    c.sendBytes(p.getValue());
                    assertThat(c.readReply()).as(assumption("its reply to "
                            + new String(p.getValue(), StandardCharsets.ISO_8859_1).strip()
                            + " is no longer one of SubethaAccess.SUBETHA_REPLIES")).isEqualTo(p.getKey());
                }
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                assertThat(c.readReply()).as(assumption("its reply to a silent client"))
                        .isEqualTo("421 4.4.2 Timeout waiting for data from client, closing connection");
            }
        }
    }

    /**
     * The unstarted server thread counts sessions: each session mailkit starts takes a permit, and SubEthaSMTP's
     * session gives it back when it ends. If it stopped giving it back, a listener would refuse every connection after
     * {@code maxConnections + 16} sessions.
     */
    @Test
    void endingSessionsGiveTheirConnectionPermitBack() throws Exception {
        try (SmtpServer s = SmtpServer.builder().sink(new InMemorySink()).maxConnections(1).build().start()) {
            for (int i = 0; i < 60; i++) {
                try (RawClient c = new RawClient(s.port())) {
                    assertThat(c.readReply()).as(assumption("session " + (i + 1) + " was not greeted: sessions that"
                            + " ended did not give back their ServerThread connection permit")).startsWith("220 ");
                    assertThat(c.command("QUIT")).startsWith("221 ");
                }
                awaitNoSessions(s);
            }
        }
    }

    /** {@code Session.setSocket} makes new buffers: plaintext pipelined behind STARTTLS is dropped, not run. */
    @Test
    void aNewSocketAfterStartTlsDropsWhatWasPipelinedInPlaintext() throws Exception {
        try (SmtpServer s = SmtpServer.builder().sink(new InMemorySink()).tls(TLS).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            c.send("STARTTLS\r\nNOOP injected\r\n");
            assertThat(c.readReply()).isEqualTo("220 2.0.0 Ready to start TLS");
            c.startTls(TLS.clientSslContext());
            assertThat(c.command("MAIL FROM:<a@example.test>")).as(assumption("Session.setSocket kept the plaintext "
                    + "buffer, or resetSmtpProtocol no longer forgets EHLO")).isEqualTo(
                    "503 5.5.1 Send EHLO or HELO first");
        }
    }

    private static void awaitNoSessions(SmtpServer s) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (s.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
