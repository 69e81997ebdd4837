package dev.mailkit.relay.internal;

import dev.mailkit.relay.RelayTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.mailkit.relay.internal.ClientFixture.auth;
import static dev.mailkit.relay.internal.ClientFixture.base64;
import static dev.mailkit.relay.internal.ClientFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How {@link SmtpConnection#open} sets a session up against a scripted server on loopback: greeting, EHLO and the HELO
 * fallback, STARTTLS opportunistic and required, AUTH for a smart host, and the failures of each step.
 */
class SmtpSessionSetupTest {
    @TempDir
    Path dir;

    ClientFixture client;

    @BeforeEach
    void setUp() throws IOException {
        client = new ClientFixture(dir);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    @Test
    void ehloExtensionsShapeTheMailCommand() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("SIZE 1000000", "8BITMIME");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            StoredMessage m = client.message(java.util.Map.of("BODY", "8BITMIME"), "Subject: hi\r\n\r\nbody\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            List<Outcome> out = conn.send(m, m.recipients, client.store);
            conn.quit();
            assertThat(out).extracting(o -> o.kind).containsExactly(Outcome.Kind.DELIVERED);
            assertThat(out.get(0).diagnostic()).isEqualTo("250 2.0.0 queued as 1");
            assertThat(out.get(0).tls).isNull();
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test",
                    "MAIL FROM:<sender@origin.test> SIZE=" + m.contentLength + " BODY=8BITMIME",
                    "RCPT TO:<a@remote.test>", "DATA", "<data>", "QUIT");
        }
    }

    @Test
    void heloWhenEhloIsRefused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.send("220 old.test SMTP\r\n");
            c.expect("EHLO relay.test");
            c.send("502 5.5.2 command not recognized\r\n");
            c.expect("HELO relay.test");
            c.send("250 old.test\r\n");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            StoredMessage m = client.message(java.util.Map.of("BODY", "8BITMIME"), "Subject: hi\r\n\r\nbody\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            assertThat(conn.send(m, m.recipients, client.store)).extracting(o -> o.kind)
                    .containsExactly(Outcome.Kind.DELIVERED);
            conn.quit();
            // no extensions after HELO: no SIZE, no BODY, and no pipelining
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test",
                    "HELO relay.test", "MAIL FROM:<sender@origin.test>", "RCPT TO:<a@remote.test>", "DATA", "<data>",
                    "QUIT");
        }
    }

    @Test
    void aRefusedGreetingOrHeloIsASessionFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.send("554 5.7.1 go away\r\n");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.OPPORTUNISTIC)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("refused to talk to me: 554 5.7.1 go away");
            assertThat(f.status()).isEqualTo("4.3.0");
            assertThat(f.reply().code).isEqualTo(554);
            server.awaitFinished(1);
        }
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.send("220 hi\r\n");
            c.expect("EHLO");
            c.send("500 no\r\n");
            c.expect("HELO");
            c.send("501 5.5.4 not you either\r\n");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.OPPORTUNISTIC)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("refused HELO: 501 5.5.4 not you either");
            assertThat(f.status()).isEqualTo("4.3.0");
            server.awaitFinished(1);
        }
    }

    @Test
    void opportunisticStarttlsEncryptsWithoutVerifyingAndSaysEhloAgain() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS", "8BITMIME");
            c.startTls(ClientFixture.UNTRUSTED);
            c.expect("EHLO relay.test");
            c.ehloReply("8BITMIME");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            Outcome out = client.sendOne(server, settings(RelayTls.OPPORTUNISTIC));
            assertThat(out.kind).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(out.tls).isNotNull();
            assertThat(out.tls.protocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(server.awaitFinished(1).get(0).received()).startsWith("EHLO relay.test", "STARTTLS",
                    "EHLO relay.test", "MAIL FROM:<sender@origin.test>");
        }
    }

    @Test
    void opportunisticStarttlsThatTheServerRefusesGoesOnInPlaintext() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.expect("STARTTLS");
            c.send("454 4.7.0 TLS not available\r\n");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            Outcome out = client.sendOne(server, settings(RelayTls.OPPORTUNISTIC));
            assertThat(out.kind).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(out.tls).isNull();
            assertThat(server.awaitFinished(1).get(0).received()).startsWith("EHLO relay.test", "STARTTLS",
                    "MAIL FROM:<sender@origin.test>");
        }
    }

    @Test
    void disabledTlsNeverSaysStarttls() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.awaitClose();
        })) {
            client.open(server, settings(RelayTls.DISABLED)).quit();
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test", "QUIT");
        }
    }

    @Test
    void requiredTlsThatIsNotOfferedIsATemporaryFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("8BITMIME");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.REQUIRED)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("TLS is required, but was not offered by host localhost[127.0.0.1]:"
                    + server.port());
            assertThat(f.status()).isEqualTo("4.7.4");
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test");
        }
    }

    @Test
    void requiredTlsRefusedByTheServerIsATemporaryFailure() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.expect("STARTTLS");
            c.send("454 4.7.0 not now\r\n");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.REQUIRED)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("refused STARTTLS: 454 4.7.0 not now");
            assertThat(f.status()).isEqualTo("4.7.4");
            server.awaitFinished(1);
        }
    }

    @Test
    void requiredTlsWithATrustedCertificateForTheHostIsUsed() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.startTls(ClientFixture.TRUSTED);
            c.expect("EHLO relay.test");
            c.ehloReply();
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            Outcome out = client.sendOne(server, settings(RelayTls.REQUIRED));
            assertThat(out.kind).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(out.tls).isNotNull();
            server.awaitFinished(1);
        }
    }

    @Test
    void requiredTlsRefusesAnUntrustedCertificateOrOneForAnotherHost() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> handshakeWith(c, ClientFixture.UNTRUSTED))) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.REQUIRED)),
                    SessionFailure.class);
            assertThat(f.getMessage()).startsWith("server certificate not verified for localhost[127.0.0.1]");
            assertThat(f.status()).isEqualTo("4.7.5");
            server.awaitFinished(1);
        }
        try (ScriptedServer server = new ScriptedServer(c -> handshakeWith(c, ClientFixture.TRUSTED))) {
            // trusted, but it names localhost, not the MX host the client connected to
            SessionFailure f = catchThrowableOfType(() -> client.open("mx.remote.test", server,
                    settings(RelayTls.REQUIRED)), SessionFailure.class);
            assertThat(f.getMessage()).startsWith("server certificate not verified for mx.remote.test[127.0.0.1]");
            assertThat(f.status()).isEqualTo("4.7.5");
            server.awaitFinished(1);
        }
    }

    /** Offers STARTTLS and shakes hands with the certificate, which the client may refuse. */
    private static void handshakeWith(ScriptedServer.Conversation c, dev.mailkit.core.tls.TlsConfig tls)
            throws IOException {
        c.greet("STARTTLS");
        try {
            c.startTls(tls);
        } catch (IOException expected) {
            return; // the client gave up in the handshake
        }
        c.awaitClose();
    }

    @Test
    void plaintextSentAfterTheStarttlsReplyIsAnInjectionAndTheConnectionIsNotUsed() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.expect("STARTTLS");
            c.send("220 2.0.0 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.OPPORTUNISTIC)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("sent data after its STARTTLS reply");
            assertThat(f.status()).isEqualTo("4.7.0");
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test", "STARTTLS");
        }
    }

    @Test
    void authPlainToASmartHostOverTls() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS", "AUTH PLAIN LOGIN");
            c.startTls(ClientFixture.UNTRUSTED);
            c.expect("EHLO relay.test");
            c.ehloReply("AUTH LOGIN PLAIN");
            c.expect("AUTH PLAIN " + base64("\0user\0secret"));
            c.send("235 2.7.0 authenticated\r\n");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            StoredMessage m = client.message("Subject: hi\r\n\r\nbody\r\n", "a@remote.test");
            SmtpConnection conn = client.open(server, auth(RelayTls.OPPORTUNISTIC, false));
            assertThat(conn.send(m, m.recipients, client.store)).extracting(o -> o.kind)
                    .containsExactly(Outcome.Kind.DELIVERED);
            conn.quit();
            server.awaitFinished(1);
        }
    }

    @Test
    void authLoginWhenOnlyLoginIsOffered() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.startTls(ClientFixture.UNTRUSTED);
            c.expect("EHLO relay.test");
            c.ehloReply("AUTH LOGIN");
            c.expect("AUTH LOGIN");
            c.send("334 VXNlcm5hbWU6\r\n");
            c.expect(base64("user"));
            c.send("334 UGFzc3dvcmQ6\r\n");
            c.expect(base64("secret"));
            c.send("235 2.7.0 authenticated\r\n");
            c.awaitClose();
        })) {
            client.open(server, auth(RelayTls.OPPORTUNISTIC, false)).quit();
            assertThat(server.awaitFinished(1).get(0).received()).endsWith("AUTH LOGIN", base64("user"),
                    base64("secret"), "QUIT");
        }
    }

    @Test
    void aRefusedLoginIsATemporaryFailureWithTheServersReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("STARTTLS");
            c.startTls(ClientFixture.UNTRUSTED);
            c.expect("EHLO relay.test");
            c.ehloReply("AUTH PLAIN");
            c.expect("AUTH PLAIN ");
            c.send("535 5.7.8 authentication credentials invalid\r\n");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, auth(RelayTls.OPPORTUNISTIC, false)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("SASL authentication failed; server localhost[127.0.0.1]:"
                    + server.port() + " said: 535 5.7.8 authentication credentials invalid");
            assertThat(f.status()).isEqualTo("4.7.0");
            assertThat(f.reply().code).isEqualTo(535);
            server.awaitFinished(1);
        }
    }

    @Test
    void thePasswordNeverGoesOutInPlaintextUnlessAllowed() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("AUTH PLAIN");
            c.awaitClose();
        })) {
            SessionFailure f = catchThrowableOfType(() -> client.open(server, auth(RelayTls.OPPORTUNISTIC, false)),
                    SessionFailure.class);
            assertThat(f.getMessage()).contains("not sending the AUTH password").contains("without TLS");
            assertThat(f.status()).isEqualTo("4.7.0");
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test");
        }
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("AUTH PLAIN");
            c.expect("AUTH PLAIN " + base64("\0user\0secret"));
            c.send("235 ok\r\n");
            c.awaitClose();
        })) {
            client.open(server, auth(RelayTls.OPPORTUNISTIC, true)).quit();
            server.awaitFinished(1);
        }
    }

    @Test
    void aServerWithoutPlainOrLoginCannotBeAuthenticatedTo() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("AUTH CRAM-MD5");
            c.awaitClose();
        })) {
            assertThatThrownBy(() -> client.open(server, auth(RelayTls.OPPORTUNISTIC, true)))
                    .isInstanceOf(SessionFailure.class)
                    .hasMessageContaining("offers no AUTH mechanism mailkit supports (PLAIN, LOGIN): [CRAM-MD5]");
            server.awaitFinished(1);
        }
    }

    @Test
    void aGreetingThatNeverComesTimesOut() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Conversation::awaitClose)) {
            long t0 = System.nanoTime();
            SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.OPPORTUNISTIC,
                    Duration.ofMillis(300), Duration.ofSeconds(5))), SessionFailure.class);
            assertThat(f.getMessage()).contains("during the greeting").contains("timed out");
            assertThat(f.status()).isEqualTo("4.4.2");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            server.awaitFinished(1);
        }
    }

    @Test
    void aConnectionThatCannotBeMadeIsATemporaryFailure() throws Exception {
        java.net.InetSocketAddress nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = new java.net.InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }
        SessionFailure f = catchThrowableOfType(() -> SmtpConnection.open("mx.remote.test", nobody,
                settings(RelayTls.OPPORTUNISTIC), client.watchdog), SessionFailure.class);
        assertThat(f.getMessage()).startsWith("connect to mx.remote.test[127.0.0.1]:" + nobody.getPort() + ": ");
        assertThat(f.status()).isEqualTo("4.4.1");
    }
}
