package dev.mailkit.scan;

import dev.mailkit.core.MessageSource;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.InputStream;
import java.util.List;
import java.util.Properties;

/** Sends with Jakarta Mail (Angus), the client mailkit's users run, without re-encoding the message. */
final class Smtp {
    private Smtp() {
    }

    /** Sends and returns the server's last reply ("250 ..." or the refusal). */
    static String send(int port, String from, List<String> to, MessageSource message) throws Exception {
        return send(port, from, to, message, null, null);
    }

    /** Sends, logging in first if a user is given, and returns the server's last reply. */
    static String send(int port, String from, List<String> to, MessageSource message, String user, String password)
            throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.from", from);
        p.put("mail.smtp.localhost", "client.test");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "30000");
        p.put("mail.smtp.writetimeout", "30000");
        if (user != null) {
            p.put("mail.smtp.auth", "true");
        }
        Session session = Session.getInstance(p);
        MimeMessage m;
        try (InputStream in = withoutTrace(message).openStream()) {
            m = new MimeMessage(session, in);
        }
        InternetAddress[] rcpts = new InternetAddress[to.size()];
        for (int i = 0; i < rcpts.length; i++) {
            rcpts[i] = new InternetAddress(to.get(i));
        }
        SMTPTransport t = (SMTPTransport) session.getTransport("smtp");
        try {
            if (user != null) {
                t.connect(user, password);
            } else {
                t.connect();
            }
            t.sendMessage(m, rcpts); // no saveChanges: the bytes go as they are
            return t.getLastServerResponse().trim();
        } catch (MessagingException e) {
            String last = t.getLastServerResponse();
            return last == null ? e.toString() : last.trim();
        } finally {
            t.close();
        }
    }

    /** The test messages start with a Received field for the clients' tests; a client does not send one. */
    private static MessageSource withoutTrace(MessageSource m) {
        String text = m.asString();
        if (text.startsWith("Received:")) {
            int end = text.indexOf("\r\n", 0);
            while (text.startsWith(" ", end + 2) || text.startsWith("\t", end + 2)) {
                end = text.indexOf("\r\n", end + 2);
            }
            return MessageSource.ofText(text.substring(end + 2));
        }
        return m;
    }
}
