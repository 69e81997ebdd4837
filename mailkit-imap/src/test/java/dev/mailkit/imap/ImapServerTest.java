package dev.mailkit.imap;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session over real sockets: greeting, login, STARTTLS, implicit TLS, state rules, timeouts. */
class ImapServerTest {
    static final TlsConfig TLS = TlsConfig.selfSigned();
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("joe@example.com", "secret").build();

    private ImapServer server;

    static ImapServer.Builder plain() {
        return ImapServer.builder().users(USERS).authFailurePenalty(AuthFailurePenalty.none());
    }

    private ImapServer start(ImapServer.Builder b) {
        server = b.build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String plainAuth(String authz, String user, String password) {
        return Base64.getEncoder().encodeToString((authz + "\0" + user + "\0" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void greetsWithCapabilitiesAndLogsIn() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            assertThat(c.greeting()).startsWith("* OK [CAPABILITY IMAP4rev1 ").contains("AUTH=PLAIN")
                    .contains("SASL-IR").contains("LITERAL+").doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED")
                    .endsWith("] mailkit IMAP4rev1 ready");
            assertThat(c.command("CAPABILITY").get(0)).startsWith("* CAPABILITY IMAP4rev1 ");
            assertThat(c.tagged("LOGIN joe@example.com secret")).startsWith("OK [CAPABILITY IMAP4rev1 ")
                    .contains("UIDPLUS").contains("MOVE").contains("IDLE").contains("CONDSTORE")
                    .contains("APPENDLIMIT=67108864").endsWith("] Logged in");
            assertThat(c.command("CAPABILITY").get(0)).contains("NAMESPACE").doesNotContain("AUTH=PLAIN");
            assertThat(c.tagged("LOGIN joe@example.com secret")).isEqualTo("BAD Already logged in");
            List<String> bye = c.command("LOGOUT");
            assertThat(bye).containsExactly("* BYE Logging out", "t5 OK Logout completed");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameReply() throws Exception {
        start(plain().maxAuthFailures(10));
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            String wrongPassword = c.tagged("LOGIN joe@example.com wrong");
            String unknownUser = c.tagged("LOGIN nobody@example.com wrong");
            String wrongAuth = c.tagged("AUTHENTICATE PLAIN " + plainAuth("", "joe@example.com", "wrong"));
            String unknownAuth = c.tagged("AUTHENTICATE PLAIN " + plainAuth("", "nobody@example.com", "wrong"));
            assertThat(wrongPassword).isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(unknownUser).isEqualTo(wrongPassword);
            assertThat(wrongAuth).isEqualTo(wrongPassword);
            assertThat(unknownAuth).isEqualTo(wrongPassword);
        }
    }

    @Test
    void failedLoginsAreDelayedMoreAndMoreThenDisconnected() throws Exception {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(150))
                .maxDelay(Duration.ofSeconds(2)).build();
        start(plain().authFailurePenalty(penalty).maxAuthFailures(3));
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            long t0 = System.nanoTime();
            c.tagged("LOGIN joe@example.com wrong1");
            long t1 = System.nanoTime();
            c.tagged("LOGIN joe@example.com wrong2");
            long t2 = System.nanoTime();
            assertThat(Duration.ofNanos(t1 - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(Duration.ofNanos(t2 - t1)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            List<String> third = c.command("LOGIN joe@example.com wrong3");
            assertThat(third.get(0)).isEqualTo("t3 NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(c.line()).isEqualTo("* BYE Too many failed logins");
            assertThat(c.isClosedByServer()).isTrue();
        }
        // a success from the same address forgets the failures
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        }
        assertThat(penalty.failures(java.net.InetAddress.getLoopbackAddress())).isZero();
    }

    @Test
    void authenticatePlainWithAndWithoutInitialResponse() throws Exception {
        start(plain().maxAuthFailures(10));
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            c.send("a1 AUTHENTICATE PLAIN\r\n");
            assertThat(c.line()).isEqualTo("+ ");
            c.send("*\r\n");
            assertThat(c.line()).isEqualTo("a1 BAD Authentication cancelled");
            c.send("a2 AUTHENTICATE PLAIN\r\n");
            assertThat(c.line()).isEqualTo("+ ");
            c.send("!!!not base64\r\n");
            assertThat(c.line()).isEqualTo("a2 BAD Invalid base64 in the authentication response");
            assertThat(c.tagged("AUTHENTICATE PLAIN " + Base64.getEncoder().encodeToString("nonul".getBytes())))
                    .startsWith("BAD Invalid PLAIN response");
            assertThat(c.tagged("AUTHENTICATE CRAM-MD5")).startsWith("NO Unsupported authentication mechanism");
            assertThat(c.tagged("AUTHENTICATE PLAIN " + plainAuth("other@example.com", "joe@example.com", "secret")))
                    .isEqualTo("NO [AUTHENTICATIONFAILED] Authentication failed");
            c.send("a3 AUTHENTICATE PLAIN\r\n");
            assertThat(c.line()).isEqualTo("+ ");
            c.send(plainAuth("joe@example.com", "joe@example.com", "secret") + "\r\n");
            assertThat(c.line()).startsWith("a3 OK [CAPABILITY ").endsWith("Logged in");
        }
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.tagged("AUTHENTICATE PLAIN " + plainAuth("", "joe@example.com", "secret")))
                    .endsWith("Logged in");
        }
    }

    @Test
    void loginIsDisabledUntilStartTlsAndCapabilitiesChange() throws Exception {
        start(plain().tls(TLS));
        try (RawImap c = new RawImap(server.port())) {
            assertThat(c.greeting()).contains(" STARTTLS").contains(" LOGINDISABLED").doesNotContain("AUTH=PLAIN");
            assertThat(c.tagged("LOGIN joe@example.com secret"))
                    .isEqualTo("NO [PRIVACYREQUIRED] Plaintext authentication is disabled: use STARTTLS first");
            assertThat(c.tagged("AUTHENTICATE PLAIN " + plainAuth("", "joe@example.com", "secret")))
                    .startsWith("NO [PRIVACYREQUIRED]");
            assertThat(c.tagged("STARTTLS")).isEqualTo("OK Begin TLS negotiation now");
            c.startTls(TLS.clientSslContext());
            List<String> caps = c.command("CAPABILITY");
            assertThat(caps.get(0)).contains("AUTH=PLAIN").doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED");
            assertThat(c.tagged("STARTTLS")).isEqualTo("BAD TLS is already active");
            assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        }
    }

    @Test
    void plaintextPipelinedAfterStartTlsIsDiscarded() throws Exception {
        start(plain().tls(TLS).requireTlsForLogin(false));
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            c.send("a STARTTLS\r\nb LOGIN joe@example.com secret\r\n");
            assertThat(c.line()).isEqualTo("a OK Begin TLS negotiation now");
            c.startTls(TLS.clientSslContext());
            c.send("c NOOP\r\n");
            assertThat(c.line()).isEqualTo("c OK NOOP completed");
            // the injected LOGIN never ran: the session is still not authenticated
            assertThat(c.tagged("NAMESPACE")).isEqualTo("BAD Please log in first");
        }
    }

    @Test
    void startTlsIsRefusedWithoutTlsAndAfterLogin() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.tagged("STARTTLS")).startsWith("BAD STARTTLS is not available");
            c.tagged("LOGIN joe@example.com secret");
            assertThat(c.tagged("STARTTLS")).isEqualTo("BAD STARTTLS is only allowed before login");
        }
    }

    @Test
    void implicitTlsPort() throws Exception {
        start(plain().tls(TLS).implicitTlsPort(0));
        assertThat(server.implicitTlsPort()).isPositive().isNotEqualTo(server.port());
        try (SSLSocket s = (SSLSocket) TLS.clientSslContext().getSocketFactory().createSocket("127.0.0.1",
                server.implicitTlsPort())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).contains("AUTH=PLAIN").doesNotContain("STARTTLS").doesNotContain("LOGINDISABLED");
            out.write("a LOGIN joe@example.com secret\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).startsWith("a OK [CAPABILITY").endsWith("Logged in");
        }
    }

    @Test
    void commandsOutOfStateAreBadAndTheConnectionStays() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.tagged("SELECT INBOX")).isEqualTo("BAD Please log in first");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("BAD Please log in first");
            assertThat(c.tagged("UID FETCH 1 FLAGS")).isEqualTo("BAD Please log in first");
            assertThat(c.tagged("XYZZY")).isEqualTo("BAD unknown command XYZZY");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
            c.tagged("LOGIN joe@example.com secret");
            assertThat(c.tagged("FETCH 1 FLAGS")).isEqualTo("BAD No mailbox selected");
            assertThat(c.tagged("CHECK")).isEqualTo("BAD No mailbox selected");
            assertThat(c.tagged("XYZZY 1 2 3")).isEqualTo("BAD unknown command XYZZY");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void pipelinedCommandsAreAllAnsweredInOrder() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            c.send("a NOOP\r\nb CAPABILITY\r\n\r\nc LOGIN joe@example.com secret\r\nd NAMESPACE\r\n");
            assertThat(c.line()).isEqualTo("a OK NOOP completed");
            assertThat(c.line()).startsWith("* CAPABILITY");
            assertThat(c.line()).isEqualTo("b OK Capability completed");
            assertThat(c.line()).startsWith("c OK [CAPABILITY");
            assertThat(c.line()).isEqualTo("* NAMESPACE ((\"\" \".\")) NIL NIL");
            assertThat(c.line()).isEqualTo("d OK Namespace completed");
        }
    }

    @Test
    void idEnableNamespaceAndIdleInTheAuthenticatedState() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.command("ID (\"name\" \"test\")")).containsExactly("* ID (\"name\" \"mailkit\")",
                    "t1 OK ID completed");
            c.tagged("LOGIN joe@example.com secret");
            assertThat(c.command("ENABLE CONDSTORE X-UNKNOWN")).containsExactly("* ENABLED CONDSTORE",
                    "t3 OK Enabled");
            assertThat(c.command("ENABLE CONDSTORE")).containsExactly("* ENABLED", "t4 OK Enabled");
            c.send("i1 IDLE\r\n");
            assertThat(c.line()).isEqualTo("+ idling");
            c.send("DONE\r\n");
            assertThat(c.line()).isEqualTo("i1 OK IDLE terminated");
            c.send("i2 IDLE\r\n");
            assertThat(c.line()).isEqualTo("+ idling");
            c.send("NOPE\r\n");
            assertThat(c.line()).isEqualTo("i2 BAD Expected DONE to end IDLE");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void mailboxCommandsWithoutAStoreAreRefusedCleanly() throws Exception {
        start(plain());
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            c.tagged("LOGIN joe@example.com secret");
            assertThat(c.tagged("SELECT INBOX")).startsWith("NO [UNAVAILABLE] SELECT needs a mailbox store");
            assertThat(c.tagged("LIST \"\" *")).startsWith("NO [UNAVAILABLE]");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void silentClientsAreLoggedOut() throws Exception {
        start(plain().loginTimeout(Duration.ofMillis(300)));
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.line()).isEqualTo("* BYE Autologout; idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void connectionLimitRefusalIsAnImapBye() throws Exception {
        start(plain().maxConnections(1));
        try (RawImap first = new RawImap(server.port())) {
            first.greeting();
            try (RawClient second = new RawClient(server.port())) {
                assertThat(second.readLine()).startsWith("* BYE [UNAVAILABLE]");
            }
        }
    }

    @Test
    void builderSaysWhatToFix() {
        assertThatThrownBy(() -> ImapServer.builder().build()).hasMessageContaining("users(");
        assertThatThrownBy(() -> plain().implicitTlsPort(0).build()).hasMessageContaining("tls(");
        assertThatThrownBy(() -> plain().requireTlsForLogin(true).build()).hasMessageContaining("tls(");
        assertThatThrownBy(() -> plain().appendLimit(1L << 33)).hasMessageContaining("4294967295");
        assertThatThrownBy(() -> plain().port(70000)).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> plain().maxConnections(10).maxConnectionsPerAddress(20).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxConnectionsPerAddress (20)").hasMessageContaining("maxConnections (10)");
        assertThatThrownBy(() -> plain().hostName("two words")).isInstanceOf(IllegalArgumentException.class);
        try (ImapServer s = plain().build()) {
            assertThatThrownBy(s::implicitTlsPort).hasMessageContaining("implicitTlsPort(");
        }
    }
}
