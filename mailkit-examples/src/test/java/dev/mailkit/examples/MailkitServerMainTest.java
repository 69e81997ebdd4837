package dev.mailkit.examples;

import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MailkitServerMainTest {
    @TempDir
    Path data;

    @Test
    void startsEveryPortWithTlsAndDeliversSubmittedMail() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ServerOptions o = ServerOptions.parse("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--domain", "local.test", "--user", "rcpt@local.test:secret", "--data", data.toString());
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, out)) {
            int submission = r.smtp().port(SmtpRole.SUBMISSION);
            String text = buf.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("SMTP submission     127.0.0.1:" + submission)
                    .contains("trust " + data.resolve("certificate.pem"));
            assertThat(Files.readString(data.resolve("certificate.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
            ExamplesTestSupport.send(submission, "rcpt@local.test", "rcpt@local.test", "via submission", r.tls(),
                    "rcpt@local.test", "secret");
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "someone@remote.test", "rcpt@local.test",
                    "via mx", r.tls(), null, null);
            assertThat(r.memory().await(2, Duration.ofSeconds(10))).isTrue();
            ReceivedMessage first = r.memory().messages().get(0);
            assertThat(first.envelope().authenticatedUser()).contains("rcpt@local.test");
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("subject: via submission")
                    .contains("subject: via mx").contains("IMAP                127.0.0.1:" + r.imap().port())
                    .contains("IMAPS               127.0.0.1:" + r.imap().implicitTlsPort());
            // the mail is in the user's INBOX, readable over IMAP (STARTTLS, then LOGIN)
            java.util.Properties p = new java.util.Properties();
            p.put("mail.imap.starttls.required", "true");
            p.put("mail.imap.ssl.socketFactory", r.tls().clientSslContext().getSocketFactory());
            p.put("mail.imap.timeout", "10000");
            jakarta.mail.Store imap = jakarta.mail.Session.getInstance(p).getStore("imap");
            imap.connect("127.0.0.1", r.imap().port(), "rcpt@local.test", "secret");
            jakarta.mail.Folder inbox = imap.getFolder("INBOX");
            inbox.open(jakarta.mail.Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getMessage(2).getSubject()).isEqualTo("via mx");
            inbox.close(false);
            imap.close();
        }
    }
}
