package dev.mailkit.pop3;

import dev.mailkit.core.server.AuthFailurePenalty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static dev.mailkit.pop3.Pop3Fixture.TLS;
import static dev.mailkit.pop3.SaslText.b64;
import static dev.mailkit.pop3.SaslText.plain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STLS, the implicit-TLS port, login refused before TLS, STLS injection and fixation, SASL PLAIN and LOGIN. */
class TlsAndSaslTest {
    private static final SSLContext CLIENT = TLS.clientSslContext();
    private Pop3Fixture fx;
    private Pop3Server server;

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
        server = fx.start(b -> b.tls(TLS).implicitTlsPort(0));
        fx.deliver(ANN, Pop3Fixture.message(1));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void beforeTlsLoginIsRefusedAndNotOffered() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).contains("STLS").doesNotContain("USER").noneMatch(l -> l.startsWith("SASL"));
            String refused = "-ERR [AUTH] Plaintext authentication disallowed on non-secure connections, use STLS";
            assertThat(c.cmd("USER " + ANN)).isEqualTo(refused);
            assertThat(c.cmd("PASS secret")).isEqualTo(refused);
            assertThat(c.cmd("AUTH PLAIN " + plain("", ANN, "secret"))).isEqualTo(refused);
            assertThat(c.cmd("AUTH LOGIN")).isEqualTo(refused);
        }
    }

    @Test
    void stlsThenLogin() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("STLS")).isEqualTo("+OK Begin TLS negotiation now");
            c.startTls(CLIENT);
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).contains("USER", "SASL PLAIN LOGIN").doesNotContain("STLS");
            assertThat(c.cmd("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in, 1 messages");
            assertThat(c.cmd("RETR 1")).startsWith("+OK");
            assertThat(String.join("\r\n", c.multiline()) + "\r\n").isEqualTo(Pop3Fixture.message(1));
        }
    }

    @Test
    void plaintextPipelinedAfterStlsIsDiscarded() throws Exception {
        Pop3Server lenient = fx.start(b -> b.tls(TLS).requireTlsForLogin(false));
        try (Pop3Client c = Pop3Client.connect(lenient.port())) {
            c.send("STLS\r\nUSER " + ANN + "\r\nPASS secret\r\n");
            assertThat(c.readLine()).isEqualTo("+OK Begin TLS negotiation now");
            c.startTls(CLIENT);
            // had the injected USER/PASS run, this session would be logged in
            assertThat(c.cmd("STAT")).isEqualTo("-ERR Log in first");
            assertThat(c.cmd("PASS secret")).isEqualTo("-ERR Send USER first");
        }
    }

    @Test
    void userGivenBeforeStlsIsForgotten() throws Exception {
        Pop3Server lenient = fx.start(b -> b.tls(TLS).requireTlsForLogin(false));
        try (Pop3Client c = Pop3Client.connect(lenient.port())) {
            assertThat(c.cmd("USER " + ANN)).startsWith("+OK");
            assertThat(c.cmd("STLS")).startsWith("+OK");
            c.startTls(CLIENT);
            assertThat(c.cmd("PASS secret")).isEqualTo("-ERR Send USER first");
        }
    }

    @Test
    void stlsAfterLoginIsRefused() throws Exception {
        Pop3Server lenient = fx.start(b -> b.tls(TLS).requireTlsForLogin(false));
        try (Pop3Client c = Pop3Client.connect(lenient.port())) {
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(c.cmd("STLS")).isEqualTo("-ERR Command not valid in this state");
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void stlsWithoutTlsConfigured() throws Exception {
        Pop3Server plain = fx.start();
        try (Pop3Client c = Pop3Client.connect(plain.port())) {
            assertThat(c.cmd("STLS")).isEqualTo("-ERR STLS is not available: this server has no TLS configured");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).doesNotContain("STLS");
        }
    }

    @Test
    void implicitTlsPort() throws Exception {
        try (Pop3Client c = Pop3Client.connectTls(server.implicitTlsPort(), CLIENT)) {
            assertThat(c.greeting).startsWith("+OK");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).contains("USER").doesNotContain("STLS");
            assertThat(c.cmd("STLS")).isEqualTo("-ERR TLS is already active");
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
        }
    }

    @Test
    void saslPlainWithInitialResponseAndWithChallenge() throws Exception {
        try (Pop3Client c = Pop3Client.connectTls(server.implicitTlsPort(), CLIENT)) {
            assertThat(c.cmd("AUTH PLAIN " + plain("", ANN, "secret"))).startsWith("+OK Logged in");
        }
        try (Pop3Client c = Pop3Client.connectTls(server.implicitTlsPort(), CLIENT)) {
            assertThat(c.cmd("AUTH plain")).isEqualTo("+ ");
            assertThat(c.cmd(plain(ANN, ANN, "secret"))).startsWith("+OK Logged in");
        }
    }

    @Test
    void saslLogin() throws Exception {
        try (Pop3Client c = Pop3Client.connectTls(server.implicitTlsPort(), CLIENT)) {
            assertThat(c.cmd("AUTH LOGIN")).isEqualTo("+ VXNlcm5hbWU6");
            assertThat(c.cmd(b64(ANN))).isEqualTo("+ UGFzc3dvcmQ6");
            assertThat(c.cmd(b64("secret"))).startsWith("+OK Logged in");
        }
        try (Pop3Client c = Pop3Client.connectTls(server.implicitTlsPort(), CLIENT)) {
            assertThat(c.cmd("AUTH LOGIN " + b64(ANN))).isEqualTo("+ UGFzc3dvcmQ6");
            assertThat(c.cmd(b64("wrong"))).isEqualTo("-ERR [AUTH] Authentication failed");
        }
    }

    @Test
    void saslErrors() throws Exception {
        Pop3Server s = fx.start(b -> b.authFailurePenalty(AuthFailurePenalty.none()).maxAuthFailures(10));
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.cmd("AUTH")).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("PLAIN", "LOGIN");
            assertThat(c.cmd("AUTH CRAM-MD5")).isEqualTo("-ERR Unsupported SASL mechanism (PLAIN and LOGIN are supported)");
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.cmd("*")).isEqualTo("-ERR Authentication cancelled");
            assertThat(c.cmd("AUTH PLAIN !!!notbase64")).isEqualTo("-ERR Invalid base64 in SASL response");
            assertThat(c.cmd("AUTH PLAIN " + b64("no nuls"))).startsWith("-ERR Malformed PLAIN response");
            assertThat(c.cmd("AUTH PLAIN =")).startsWith("-ERR Malformed PLAIN response");
            assertThat(c.cmd("AUTH PLAIN a b c")).isEqualTo("-ERR Syntax: AUTH mechanism [initial-response]");
            // acting as another user is not supported: the same reply as a wrong password
            assertThat(c.cmd("AUTH PLAIN " + plain(Pop3Fixture.BOB, ANN, "secret")))
                    .isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.cmd("AUTH PLAIN " + plain("", ANN, "wrong"))).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.cmd("AUTH PLAIN " + plain("", ANN, "secret"))).startsWith("+OK Logged in");
        }
    }

    @Test
    void buildRefusesContradictions() {
        assertThatThrownBy(() -> Pop3Server.builder().users(fx.users).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store(");
        assertThatThrownBy(() -> Pop3Server.builder().store(fx.store).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("users(");
        assertThatThrownBy(() -> Pop3Server.builder().store(fx.store).users(fx.users).implicitTlsPort(0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(");
        assertThatThrownBy(() -> Pop3Server.builder().store(fx.store).users(fx.users).requireTlsForLogin(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tls(");
        assertThatThrownBy(() -> Pop3Server.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pop3Server.builder().hostName("two words"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pop3Server.builder().maxLineLength(10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("255");
        assertThatThrownBy(() -> Pop3Server.builder().store(fx.store).users(fx.users).maxConnections(10)
                .maxConnectionsPerAddress(20).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maxConnectionsPerAddress (20)").hasMessageContaining("maxConnections (10)");
        Pop3Server notStarted = Pop3Server.builder().store(fx.store).users(fx.users).build();
        assertThatThrownBy(notStarted::implicitTlsPort).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("implicitTlsPort(");
    }

    @Test
    void lifecycle() {
        Pop3Server s = Pop3Server.builder().store(fx.store).users(fx.users).build();
        assertThat(s.isRunning()).isFalse();
        s.start();
        assertThat(s.isRunning()).isTrue();
        assertThat(s.port()).isPositive();
        assertThat(s.localAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class);
        s.close();
        s.close();
        assertThat(s.isRunning()).isFalse();
        assertThatThrownBy(s::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new one");
    }
}
