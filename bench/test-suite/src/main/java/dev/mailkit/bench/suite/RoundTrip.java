package dev.mailkit.bench.suite;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** What each benchmark test does, identically for both servers: send one message, read it back over IMAP. */
final class RoundTrip {
    private RoundTrip() {
    }

    static void sendAndReadBack(int smtpPort, int imapPort, int n) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(smtpPort));
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", String.valueOf(imapPort));
        for (String k : new String[] {"smtp", "imap"}) {
            p.put("mail." + k + ".connectiontimeout", "5000");
            p.put("mail." + k + ".timeout", "5000");
        }
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("app@shop.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress("bob@example.test"));
        m.setSubject("Order " + n);
        m.setText("Thank you for order " + n);
        Transport.send(m);
        try (Store store = session.getStore("imap")) {
            store.connect("bob@example.test", "secret");
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] got = inbox.getMessages();
            assertThat(got).hasSize(1);
            assertThat(got[0].getSubject()).isEqualTo("Order " + n);
            assertThat((String) got[0].getContent()).contains("order " + n);
            inbox.close(false);
        }
    }
}
