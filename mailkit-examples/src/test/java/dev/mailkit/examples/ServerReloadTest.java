package dev.mailkit.examples;

import dev.mailkit.passwd.PasswdFile;
import dev.mailkit.passwd.PasswordScheme;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload (through the control channel, as {@code mailkit reload} and SIGHUP do it) while a client keeps a TLS
 * session open: the certificate, aliases, users and filters change, the open session goes on, and what needs a
 * restart is named.
 */
class ServerReloadTest {
    @TempDir
    Path dir;

    private Path certificate(String name) throws Exception {
        Path openssl = ExternalTool.require("openssl");
        ExternalTool.run(List.of(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out",
                dir.resolve(name + ".crt").toString(), "-days", "2", "-subj", "/CN=" + name,
                "-addext", "subjectAltName=DNS:localhost"), null, Duration.ofSeconds(30)).assertSuccess();
        return dir.resolve(name + ".crt");
    }

    private String config(String cert, String extra) {
        return String.join("\n", "domains: [local.test]", "data: " + dir.resolve("data"), "users-file: "
                        + dir.resolve("users"), "tls:", "  cert: " + dir.resolve(cert + ".crt"), "  key: "
                        + dir.resolve(cert + ".key"), "smtp: {port: 0, submission-port: 0, smtps-port: 0}",
                "imap: {port: 0, imaps-port: 0}", "pop3: {port: 0, pop3s-port: 0}", "managesieve: {port: 0}", "web: {port: 0}",
                "aliases:", "  team@local.test: [ann@local.test]", extra, "");
    }

    @Test
    void reloadsCertificateAliasesUsersAndFiltersWithoutDroppingAnOpenSession() throws Exception {
        certificate("first");
        certificate("second");
        SecureRandom random = new SecureRandom();
        PasswdFile.put(dir.resolve("users"), "ann@local.test", PasswordScheme.SHA512_CRYPT.hash("ann-pw".toCharArray(),
                random), false);
        Path config = Files.writeString(dir.resolve("mailkit.yaml"), config("first", ""));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--config", config.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
             ControlChannel control = ControlChannel.serve(r, new PrintStream(buf, true, StandardCharsets.UTF_8));
             SSLSocket open = (SSLSocket) TestClients.trustAll().getSocketFactory().createSocket("127.0.0.1",
                     r.smtp().port(SmtpRole.SMTPS))) {
            open.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(open.getInputStream(), StandardCharsets.US_ASCII));
            Writer w = new java.io.OutputStreamWriter(open.getOutputStream(), StandardCharsets.US_ASCII);
            assertThat(in.readLine()).startsWith("220 ");
            assertThat(((X509Certificate) open.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName()).isEqualTo("CN=first");
            try (RawClient c = new RawClient(r.smtp().port(SmtpRole.MX))) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<x@remote.test>");
                assertThat(c.command("RCPT TO:<sales@local.test>")).startsWith("550 5.1.1");
            }

            // the file changes: a new certificate, an alias, a blocklist, a port (which needs a restart)
            Files.writeString(config, config("second", "  sales@local.test: [ann@local.test]\n"
                    + "smtp: {port: 0, submission-port: 0, smtps-port: 0, dnsbl: [bl.example.test]}")
                    .replace("smtp: {port: 0, submission-port: 0, smtps-port: 0}\n", "")
                    .replace("imap: {port: 0, imaps-port: 0}", "imap: {port: 0, imaps-port: 1}"));
            PasswdFile.put(dir.resolve("users"), "bob@local.test", PasswordScheme.SHA512_CRYPT.hash(
                    "bob-pw".toCharArray(), random), false);
            List<String> answer = ControlChannel.ask(dir.resolve("data"), "reload");
            assertThat(answer).last().isEqualTo("OK");
            assertThat(answer.get(0)).startsWith("reloaded: ").contains("certificate " + dir.resolve("second.crt"))
                    .contains("users file").contains("aliases and catch-alls").contains("SMTP filters");
            assertThat(answer.get(1)).isEqualTo("changed, but needs a restart to apply: --imaps-port (imap.imaps-port)");

            // the open session goes on, under the certificate it began with
            w.write("EHLO client.test\r\n");
            w.flush();
            String line;
            do {
                line = in.readLine();
            } while (line.startsWith("250-"));
            assertThat(line).startsWith("250 ");
            w.write("NOOP\r\n");
            w.flush();
            assertThat(in.readLine()).startsWith("250");
            // new connections get the new certificate
            try (SSLSocket next = (SSLSocket) TestClients.trustAll().getSocketFactory().createSocket("127.0.0.1",
                    r.smtp().port(SmtpRole.SMTPS))) {
                next.startHandshake();
                assertThat(((X509Certificate) next.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                        .getName()).isEqualTo("CN=second");
            }
            assertThat(r.tls().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=second");
            // the new alias and the new user
            try (RawClient c = new RawClient(r.smtp().port(SmtpRole.MX))) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<x@remote.test>");
                assertThat(c.command("RCPT TO:<sales@local.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("250");
            }
            assertThat(r.parts().users().authenticate("bob@local.test", "bob-pw".toCharArray())).isPresent();

            // a bad file changes nothing, and says why
            Files.writeString(config, "smtp:\n  port: many\n");
            answer = ControlChannel.ask(dir.resolve("data"), "reload");
            assertThat(answer).containsExactly("ERR reload refused, nothing changed: " + config
                    + ":2: smtp.port: must be a port number 0..65535, was 'many'");
            assertThat(r.tls().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=second");
            assertThat(ControlChannel.ask(dir.resolve("data"), "frob\u0001nicate"))
                    .containsExactly("ERR unknown command 'frob?nicate'");
            w.write("QUIT\r\n");
            w.flush();
            assertThat(in.readLine()).startsWith("221");
        }
    }
}
