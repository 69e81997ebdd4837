package dev.mailkit.smtp;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.testsupport.ExternalTool;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Independent, real SMTP clients deliver to mailkit: Jakarta Mail, Python's smtplib, swaks and curl. */
class RealClientsTest {
    static final TlsConfig TLS = TlsConfig.selfSigned();
    static InMemorySink sink;
    static SmtpServer server;
    static Path caFile;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        sink = new InMemorySink();
        server = SmtpServer.builder().hostName("localhost").localDomains("local.test")
                .mx(0).submission(0).smtps(0)
                .users(SmtpTesting.users()).tls(TLS).sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none())
                .build().start();
        caFile = TLS.writeCertificatePem(dir.resolve("ca.pem"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        sink.clear();
    }

    private static Properties jakarta(String protocol, int port) {
        Properties p = new Properties();
        String k = "mail." + protocol + ".";
        p.put(k + "host", "localhost");
        p.put(k + "port", String.valueOf(port));
        p.put(k + "connectiontimeout", "5000");
        p.put(k + "timeout", "5000");
        p.put(k + "writetimeout", "5000");
        p.put(k + "ssl.socketFactory", TLS.clientSslContext().getSocketFactory());
        p.put(k + "ssl.checkserveridentity", "true");
        return p;
    }

    private static MimeMessage message(Session session, String subject, String... to) throws Exception {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@local.test"));
        for (String t : to) {
            m.addRecipient(Message.RecipientType.TO, new InternetAddress(t));
        }
        m.setSubject(subject, "UTF-8");
        m.setText("Grüße aus Jakarta Mail\n", "UTF-8");
        return m;
    }

    @Test
    void jakartaMailSubmissionWithStartTlsAndAuth() throws Exception {
        Properties p = jakarta("smtp", server.port(SmtpRole.SUBMISSION));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = message(session, "Über TLS", "bob@local.test");
        m.addRecipient(Message.RecipientType.BCC, new InternetAddress("carol@local.test"));
        try (Transport t = session.getTransport("smtp")) {
            t.connect("alice@local.test", "alice-secret");
            t.sendMessage(m, m.getAllRecipients());
        }
        ReceivedMessage r = SmtpTesting.await(sink, 1).get(0);
        assertThat(r.envelope().recipients()).extracting(MailAddress::toString)
                .containsExactly("bob@local.test", "carol@local.test");
        assertThat(r.envelope().authenticatedUser()).contains("alice@local.test");
        assertThat(r.envelope().protocol()).isEqualTo("ESMTPSA");
        assertThat(r.source().mimeMessage().getSubject()).isEqualTo("Über TLS");
        assertThat((String) r.source().mimeMessage().getContent()).contains("Grüße");
        assertThat(r.source().asString()).doesNotContain("carol@local.test").doesNotContain("Bcc");
    }

    @Test
    void jakartaMailImplicitTls() throws Exception {
        Properties p = jakarta("smtps", server.port(SmtpRole.SMTPS));
        p.put("mail.smtps.auth", "true");
        Session session = Session.getInstance(p);
        MimeMessage m = message(session, "implicit", "bob@local.test");
        try (Transport t = session.getTransport("smtps")) {
            t.connect("bob@local.test", "bob-secret");
            t.sendMessage(m, m.getAllRecipients());
        }
        ReceivedMessage r = SmtpTesting.await(sink, 1).get(0);
        assertThat(r.envelope().tls().orElseThrow().protocol()).isEqualTo("TLSv1.3");
        assertThat(r.envelope().authenticatedUser()).contains("bob@local.test");
    }

    @Test
    void jakartaMailRejectsAWrongPassword() throws Exception {
        Properties p = jakarta("smtp", server.port(SmtpRole.SUBMISSION));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.starttls.enable", "true");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtp")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.connect("alice@local.test", "wrong"))
                    .isInstanceOf(jakarta.mail.AuthenticationFailedException.class)
                    .hasMessageContaining("535 5.7.8");
        }
    }

    @Test
    void pythonSmtplibWithStartTlsLoginAndSmtpUtf8() throws Exception {
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "from email.message import EmailMessage",
                "ctx = ssl.create_default_context(cafile=sys.argv[2])",
                "with smtplib.SMTP('localhost', int(sys.argv[1]), timeout=10) as s:",
                "    s.starttls(context=ctx)",
                "    s.login('alice@local.test', 'alice-secret')",
                "    m = EmailMessage()",
                "    m['From'] = 'alice@local.test'",
                "    m['To'] = 'bob@local.test'",
                "    m['Subject'] = 'from python'",
                "    m.set_content('hello from smtplib\\n.leading dot line\\n')",
                "    s.send_message(m)",
                "    r = s.sendmail('alice@local.test', ['用户@local.test'], 'Subject: utf8\\r\\n\\r\\nhi\\r\\n'.encode(),",
                "                   mail_options=['SMTPUTF8'])",
                "    print('ok', r)");
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), "-c", script,
                String.valueOf(server.port(SmtpRole.SUBMISSION)), caFile.toString()), null, Duration.ofSeconds(30));
        assertThat(r.exitCode).as(r.toString()).isZero();
        List<ReceivedMessage> all = SmtpTesting.await(sink, 2);
        assertThat(all.get(0).source().mimeMessage().getSubject()).isEqualTo("from python");
        assertThat(all.get(0).source().asString()).contains("\r\n.leading dot line\r\n");
        assertThat(all.get(1).envelope().recipients()).containsExactly(MailAddress.parse("用户@local.test"));
        assertThat(all.get(1).envelope().protocol()).isEqualTo("UTF8SMTPSA");
    }

    @Test
    void swaksWithTlsAndAuth() throws Exception {
        Path swaks = ExternalTool.require("swaks");
        ExternalTool.Result r = ExternalTool.run(List.of(swaks.toString(), "--server", "localhost",
                "--port", String.valueOf(server.port(SmtpRole.SUBMISSION)), "--tls", "--tls-verify",
                "--tls-ca-path", caFile.toString(), "--auth", "LOGIN", "--auth-user", "bob@local.test",
                "--auth-password", "bob-secret", "--from", "bob@local.test", "--to", "alice@local.test",
                "--header", "Subject: from swaks", "--body", "swaks body", "--pipeline"),
                null, Duration.ofSeconds(30));
        assertThat(r.exitCode).as(r.toString()).isZero();
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.source().mimeMessage().getSubject()).isEqualTo("from swaks");
        assertThat(m.envelope().authenticatedUser()).contains("bob@local.test");
        assertThat(r.stdout).contains("250-PIPELINING").contains("235 2.7.0");
    }

    @Test
    void swaksToTheMxWithoutTls() throws Exception {
        Path swaks = ExternalTool.require("swaks");
        ExternalTool.Result r = ExternalTool.run(List.of(swaks.toString(), "--server", "127.0.0.1",
                "--port", String.valueOf(server.port(SmtpRole.MX)), "--from", "someone@remote.test",
                "--to", "alice@local.test,bob@local.test", "--header", "Subject: mx"), null, Duration.ofSeconds(30));
        assertThat(r.exitCode).as(r.toString()).isZero();
        assertThat(SmtpTesting.await(sink, 1).get(0).envelope().recipients()).hasSize(2);
        ExternalTool.Result relay = ExternalTool.run(List.of(swaks.toString(), "--server", "127.0.0.1",
                "--port", String.valueOf(server.port(SmtpRole.MX)), "--from", "someone@remote.test",
                "--to", "victim@elsewhere.test"), null, Duration.ofSeconds(30));
        assertThat(relay.exitCode).isNotZero();
        assertThat(relay.stdout).contains("554 5.7.1 <victim@elsewhere.test>: Relay access denied");
    }

    @Test
    void curlWithSslReqd() throws Exception {
        Path curl = ExternalTool.require("curl");
        Path mail = Files.writeString(dir.resolve("curl.eml"),
                "From: alice@local.test\r\nTo: bob@local.test\r\nSubject: from curl\r\n\r\n.dot first\r\nbody\r\n",
                StandardCharsets.US_ASCII);
        ExternalTool.Result r = ExternalTool.run(List.of(curl.toString(), "-sS", "--ssl-reqd", "--cacert",
                caFile.toString(), "--url", "smtp://localhost:" + server.port(SmtpRole.SUBMISSION),
                "--user", "alice@local.test:alice-secret", "--mail-from", "alice@local.test",
                "--mail-rcpt", "bob@local.test", "--upload-file", mail.toString()), null, Duration.ofSeconds(30));
        assertThat(r.exitCode).as(r.toString()).isZero();
        ReceivedMessage m = SmtpTesting.await(sink, 1).get(0);
        assertThat(m.source().mimeMessage().getSubject()).isEqualTo("from curl");
        assertThat(m.source().asString()).endsWith("\r\n.dot first\r\nbody\r\n");
        assertThat(m.envelope().tls()).isPresent();
        // and curl refuses to talk to a server whose certificate it does not trust
        ExternalTool.Result untrusted = ExternalTool.run(List.of(curl.toString(), "-sS", "--ssl-reqd",
                "--url", "smtp://localhost:" + server.port(SmtpRole.SUBMISSION), "--mail-from", "a@local.test",
                "--mail-rcpt", "bob@local.test", "--upload-file", mail.toString()), null, Duration.ofSeconds(30));
        assertThat(untrusted.exitCode).isNotZero();
    }

    /**
     * curl with internationalized addresses: it sends the domain in A-labels and the local part in UTF-8 with
     * SMTPUTF8; the envelope holds the address the U-label form names (one domain, RFC 5890).
     */
    @Test
    void curlWithSmtpUtf8AndAnInternationalizedDomain() throws Exception {
        Path curl = ExternalTool.require("curl");
        InMemorySink idn = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(idn).localDomains("bücher.example").build().start()) {
            Path mail = Files.writeString(dir.resolve("idn.eml"), "Subject: idn\r\n\r\nhi\r\n",
                    StandardCharsets.US_ASCII);
            ExternalTool.Result r = ExternalTool.run(List.of(curl.toString(), "-sS", "--url",
                    "smtp://127.0.0.1:" + s.port(), "--mail-from", "jörg@bücher.example", "--mail-rcpt",
                    "zoë@bücher.example", "--upload-file", mail.toString()), null, Duration.ofSeconds(30));
            assertThat(r.exitCode).as(r.toString()).isZero();
            ReceivedMessage m = SmtpTesting.await(idn, 1).get(0);
            assertThat(m.envelope().mailParameters()).containsKey("SMTPUTF8");
            assertThat(m.envelope().recipients()).containsExactly(dev.mailkit.core.MailAddress.parse(
                    "zoë@bücher.example"));
            assertThat(m.envelope().recipients().get(0).domain()).as("as curl wrote it")
                    .isEqualTo("xn--bcher-kva.example");
        }
    }
}
