package dev.mailkit.imap;

import dev.mailkit.testsupport.ExternalTool;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static dev.mailkit.imap.ImapServerTest.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Login, capabilities, STARTTLS and implicit TLS with real clients: Python's imaplib and Jakarta Mail. */
class RealClientLoginTest {
    private ImapServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ExternalTool.Result python(String script, String... args) throws Exception {
        Path file = dir.resolve("client.py");
        Files.writeString(file, script);
        Path pem = TLS.writeCertificatePem(dir.resolve("cert.pem"));
        List<String> cmd = new java.util.ArrayList<>(List.of(ExternalTool.python().toString(), file.toString(),
                pem.toString()));
        cmd.addAll(List.of(args));
        return ExternalTool.run(cmd, null, Duration.ofSeconds(60));
    }

    private static final String PY_PRELUDE = String.join("\n",
            "import imaplib, ssl, sys",
            "pem = sys.argv[1]",
            "port = int(sys.argv[2])",
            "def ctx():",
            "    c = ssl.create_default_context(cafile=pem)",
            "    return c",
            "");

    @Test
    void pythonImaplibLoginNoopLogoutAndFailure() throws Exception {
        server = ImapServerTest.plain().build().start();
        String script = PY_PRELUDE + String.join("\n",
                "c = imaplib.IMAP4('127.0.0.1', port)",
                "print('caps', ' '.join(sorted(c.capabilities)))",
                "print('login', c.login('joe@example.com', 'secret')[0])",
                "print('noop', c.noop()[0])",
                "print('logout', c.logout()[0])",
                "c = imaplib.IMAP4('127.0.0.1', port)",
                "try:",
                "    c.login('joe@example.com', 'wrong')",
                "except imaplib.IMAP4.error as e:",
                "    print('failed', e)",
                "c = imaplib.IMAP4('127.0.0.1', port)",
                "print('auth', c.authenticate('PLAIN', lambda _: b'\\0joe@example.com\\0secret')[0])",
                "c.logout()",
                "");
        ExternalTool.Result r = python(script, Integer.toString(server.port())).assertSuccess();
        assertThat(r.stdout).contains("caps AUTH=PLAIN ENABLE ID IDLE IMAP4REV1 IMAP4REV2 LITERAL+ SASL-IR")
                .contains("login OK").contains("noop OK").contains("logout BYE")
                .contains("failed b'[AUTHENTICATIONFAILED] Authentication failed'").contains("auth OK");
    }

    @Test
    void pythonImaplibStartTlsAndImaps() throws Exception {
        server = ImapServerTest.plain().tls(TLS).implicitTlsPort(0).build().start();
        String script = PY_PRELUDE + String.join("\n",
                "c = imaplib.IMAP4('127.0.0.1', port)",
                "print('before', 'LOGINDISABLED' in c.capabilities, 'STARTTLS' in c.capabilities)",
                "try:",
                "    c.login('joe@example.com', 'secret')",
                "except imaplib.IMAP4.error as e:",
                "    print('refused', e)",
                "print('starttls', c.starttls(ssl_context=ctx())[0])",
                "print('after', 'LOGINDISABLED' in c.capabilities, 'AUTH=PLAIN' in c.capabilities)",
                "print('login', c.login('joe@example.com', 'secret')[0])",
                "c.logout()",
                "s = imaplib.IMAP4_SSL('127.0.0.1', int(sys.argv[3]), ssl_context=ctx())",
                "print('imaps', s.login('joe@example.com', 'secret')[0], s.sock.version())",
                "s.logout()",
                "");
        ExternalTool.Result r = python(script, Integer.toString(server.port()),
                Integer.toString(server.implicitTlsPort())).assertSuccess();
        assertThat(r.stdout).contains("before True True")
                .contains("refused").contains("PRIVACYREQUIRED")
                .contains("starttls OK").contains("after False True").contains("login OK")
                .containsPattern("imaps OK TLSv1\\.[23]");
    }

    private static Properties jakarta(String protocol) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".connectiontimeout", "10000");
        p.put("mail." + protocol + ".timeout", "10000");
        p.put("mail." + protocol + ".writetimeout", "10000");
        return p;
    }

    @Test
    void jakartaMailConnectsPlainAndRefusesWrongPasswords() throws Exception {
        server = ImapServerTest.plain().build().start();
        Store store = Session.getInstance(jakarta("imap")).getStore("imap");
        store.connect("127.0.0.1", server.port(), "joe@example.com", "secret");
        assertThat(store.isConnected()).isTrue();
        store.close();
        Store bad = Session.getInstance(jakarta("imap")).getStore("imap");
        assertThatThrownBy(() -> bad.connect("127.0.0.1", server.port(), "joe@example.com", "wrong"))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("Authentication failed");
        Properties login = jakarta("imap");
        login.put("mail.imap.auth.mechanisms", "LOGIN");
        login.put("mail.imap.auth.plain.disable", "true");
        Store viaLogin = Session.getInstance(login).getStore("imap");
        viaLogin.connect("127.0.0.1", server.port(), "joe@example.com", "secret");
        assertThat(viaLogin.isConnected()).isTrue();
        viaLogin.close();
    }

    @Test
    void jakartaMailRequiresAndUsesStartTlsAndImaps() throws Exception {
        server = ImapServerTest.plain().tls(TLS).implicitTlsPort(0).build().start();
        Properties p = jakarta("imap");
        p.put("mail.imap.starttls.enable", "true");
        p.put("mail.imap.starttls.required", "true");
        p.put("mail.imap.ssl.socketFactory", TLS.clientSslContext().getSocketFactory());
        p.put("mail.imap.ssl.checkserveridentity", "true");
        Store store = Session.getInstance(p).getStore("imap");
        store.connect("127.0.0.1", server.port(), "joe@example.com", "secret");
        assertThat(store.isConnected()).isTrue();
        store.close();

        Properties s = jakarta("imaps");
        s.put("mail.imaps.ssl.socketFactory", TLS.clientSslContext().getSocketFactory());
        s.put("mail.imaps.ssl.checkserveridentity", "true");
        Store imaps = Session.getInstance(s).getStore("imaps");
        imaps.connect("127.0.0.1", server.implicitTlsPort(), "joe@example.com", "secret");
        assertThat(imaps.isConnected()).isTrue();
        imaps.close();

        Properties noTls = jakarta("imap");
        Store refused = Session.getInstance(noTls).getStore("imap");
        assertThatThrownBy(() -> refused.connect("127.0.0.1", server.port(), "joe@example.com", "secret"))
                .isInstanceOf(jakarta.mail.MessagingException.class);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
