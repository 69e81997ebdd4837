package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.Envelope;
import dev.mailkit.scan.ScanFilter;
import dev.mailkit.scan.daemons.Clamd;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Rspamd;
import dev.mailkit.scan.daemons.Spamd;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's scanning examples, run against the real daemons (started by mailkit-scan's test support). */
@ExtendWith(RealDaemons.class)
class ScanningExampleTest {
    static final String FROM = "ann@example.test";

    /** Sends with Jakarta Mail and returns the server's last reply. */
    static String send(int port, String body, byte[] attachment) throws Exception {
        return send(port, "support@example.com", body, attachment);
    }

    /** Sends to {@code to} with Jakarta Mail and returns the server's last reply. */
    static String send(int port, String to, String body, byte[] attachment) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.timeout", "30000");
        p.put("mail.smtp.connectiontimeout", "5000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(FROM));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject("An example");
        if (attachment == null) {
            m.setText(body);
        } else {
            MimeMultipart mp = new MimeMultipart();
            MimeBodyPart text = new MimeBodyPart();
            text.setText(body);
            MimeBodyPart file = new MimeBodyPart();
            file.setContent(attachment, "application/octet-stream");
            file.setFileName("invoice.com");
            file.setHeader("Content-Transfer-Encoding", "base64");
            mp.addBodyPart(text);
            mp.addBodyPart(file);
            m.setContent(mp);
        }
        m.saveChanges();
        SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
        try {
            t.connect();
            t.sendMessage(m, m.getAllRecipients());
            return t.getLastServerResponse().trim();
        } catch (MessagingException e) {
            return t.getLastServerResponse().trim();
        } finally {
            t.close();
        }
    }

    @Test
    void rspamdRefusesGtube(Rspamd rspamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = ScanningExample.server(ScanningExample.rspamd(rspamd.url(), rspamd.controllerUrl(),
                Rspamd.PASSWORD), sink)) {
            assertThat(send(smtp.port(), Spamd.GTUBE, null)).startsWith("550 5.7.1");
            assertThat(send(smtp.port(), "Lunch at noon?", null)).startsWith("250");
            assertThat(sink.poll(Duration.ofSeconds(10)).orElseThrow().source().headers()
                    .getHeader("X-Scan-Results", null)).startsWith("mx.example.com; rspamd=clean");
        }
    }

    @Test
    void spamdRefusesGtube(Spamd spamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = ScanningExample.server(ScanningExample.spamd(spamd.address()), sink)) {
            assertThat(send(smtp.port(), Spamd.GTUBE, null)).startsWith("550 5.7.1 Message refused as spam");
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void clamdRefusesEicar(Clamd clamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = ScanningExample.server(ScanningExample.clamd(clamd.unixAddress()), sink)) {
            assertThat(send(smtp.port(), "The invoice.", Clamd.EICAR.getBytes(StandardCharsets.US_ASCII)))
                    .startsWith("554 5.7.1 Virus found: Mailkit.Test.EICAR");
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void openDkimSignsThroughTheMilter(RealDaemons.OpenDkimPair dkim) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = ScanningExample.server(ScanningExample.milter(dkim.signer().address()), sink)) {
            assertThat(send(smtp.port(), "Signed, I hope.", null)).startsWith("250");
            assertThat(sink.poll(Duration.ofSeconds(10)).orElseThrow().source().headers()
                    .getHeader("DKIM-Signature", null)).contains("d=example.test");
        }
    }

    @Test
    void spamGoesIntoJunk() throws Exception {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1)
                .user("ann@example.com", "pw").user("bob@example.com", "pw").build();
        try (MemoryMailStore store = MemoryMailStore.create()) {
            DeliveryAgent agent = ScanningExample.junk(store, users);
            Envelope e = Envelope.builder().reversePath("s@remote.test").recipient("ann@example.com")
                    .recipient("bob@example.com").transactionId("T1").build();
            agent.deliver(e, MessageSource.ofText("X-Spam-Flag: NO\nX-Spam-Score: 4.2\nSubject: maybe\n\nx\n"));
            for (String[] expected : new String[][] {{"ann@example.com", "Junk"}, {"bob@example.com", "INBOX"}}) {
                try (Mailbox box = store.account(MailAddress.parse(expected[0])).open(MailboxName.of(expected[1]))) {
                    assertThat(box.status().messages()).as(expected[0]).isEqualTo(1);
                }
            }
        }
    }

    /** README.md shows exactly the code that this module compiles and tests. */
    @Test
    void readmeShowsTheCompiledExamples() throws Exception {
        for (String marker : new String[] {"README-RSPAMD", "README-SPAMD", "README-CLAMD", "README-MILTER",
                "README-SCAN-SERVER", "README-JUNK", "README-LEARN"}) {
            ExamplesTestSupport.assertReadmeShows("src/main/java/dev/mailkit/examples/ScanningExample.java", marker);
        }
    }
}
