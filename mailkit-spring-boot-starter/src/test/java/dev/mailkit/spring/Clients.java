package dev.mailkit.spring;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;
import javax.net.ssl.SSLContext;

/** Real Jakarta Mail clients for the tests: SMTP to send, IMAP and POP3 to read back. */
final class Clients {
    private Clients() {
    }

    /** Sends a message over SMTP (plaintext, no login) and returns it. */
    static MimeMessage send(String host, int port, String from, String to, String subject) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "10000");
        Session s = Session.getInstance(p);
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText("Hello from the test.\n");
        Transport.send(m);
        return m;
    }

    /** Logs in over IMAP (or IMAPS with the given trust) and returns the subjects in the INBOX. */
    static java.util.List<String> imapSubjects(String protocol, String host, int port, String user, String password,
                                               SSLContext trust) throws MessagingException {
        Properties p = new Properties();
        p.setProperty("mail." + protocol + ".connectiontimeout", "10000");
        p.setProperty("mail." + protocol + ".timeout", "10000");
        if (trust != null) {
            p.put("mail." + protocol + ".ssl.socketFactory", trust.getSocketFactory());
        }
        Store store = Session.getInstance(p).getStore(protocol);
        store.connect(host, port, user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Message m : inbox.getMessages()) {
                out.add(m.getSubject());
            }
            inbox.close(false);
            return out;
        } finally {
            store.close();
        }
    }
}
