package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable server runs users' Sieve scripts with no extra option: a script installed over its ManageSieve port
 * (STARTTLS, AUTHENTICATE) files mail into a folder it creates, and its redirect goes out through the real relay
 * queue, which delivers it to the local user it names.
 */
class SieveServerTest {
    @TempDir
    Path data;

    @Test
    void aScriptInstalledOverManageSieveFilesAndRedirectsThroughTheRelay() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0",
                "--managesieve-port", "0", "--http-port", "0", "--domain", "local.test",
                "--user", "rcpt@local.test:secret", "--user", "bob@local.test:pw", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true,
                StandardCharsets.UTF_8))) {
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("ManageSieve         127.0.0.1:"
                    + r.manageSieve().port());
            String script = "require [\"fileinto\", \"mailbox\", \"copy\"];\r\n"
                    + "if header :contains \"subject\" \"report\" { fileinto :create \"Reports\"; }\r\n"
                    + "redirect :copy \"bob@local.test\";\r\n";
            install(r, script);
            assertThat(Files.isSymbolicLink(data.resolve("local.test/rcpt/.dovecot.sieve"))).isTrue();

            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "someone@remote.test", "rcpt@local.test",
                    "weekly report", r.tls(), null, null);
            MailAccount rcpt = r.store().account(MailAddress.parse("rcpt@local.test"));
            try (Mailbox reports = rcpt.open(MailboxName.of("Reports"))) {
                assertThat(reports.status().messages()).isEqualTo(1);
            }
            try (Mailbox inbox = rcpt.open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isZero();
            }
            assertThat(r.relay().awaitEmpty(Duration.ofSeconds(30))).isTrue();
            try (Mailbox inbox = r.store().account(MailAddress.parse("bob@local.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
                try (MessageSource m = inbox.content(1).orElseThrow()) {
                    assertThat(m.asString()).contains("X-Sieve-Redirected-From: <rcpt@local.test>")
                            .contains("Subject: weekly report");
                }
            }
        }
    }

    private static void install(MailkitServerMain.Running r, String script) throws IOException {
        try (RawClient c = new RawClient(r.manageSieve().port())) {
            untilOk(c);
            c.send("STARTTLS\r\n");
            assertThat(c.readLine()).startsWith("OK");
            c.startTls(r.tls().clientSslContext());
            untilOk(c);
            String plain = Base64.getEncoder().encodeToString("\0rcpt@local.test\0secret"
                    .getBytes(StandardCharsets.UTF_8));
            c.send("AUTHENTICATE \"PLAIN\" \"" + plain + "\"\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Logged in.\"");
            byte[] b = script.getBytes(StandardCharsets.UTF_8);
            c.send("PUTSCRIPT \"main\" {" + b.length + "+}\r\n" + script + "\r\nSETACTIVE \"main\"\r\nLOGOUT\r\n");
            assertThat(c.readLine()).isEqualTo("OK \"Putscript completed.\"");
            assertThat(c.readLine()).isEqualTo("OK \"Setactive completed.\"");
        }
    }

    private static void untilOk(RawClient c) throws IOException {
        String l;
        do {
            l = c.readLine();
        } while (l != null && !l.startsWith("OK"));
    }
}
