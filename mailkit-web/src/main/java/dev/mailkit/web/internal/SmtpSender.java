package dev.mailkit.web.internal;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.web.MailSender;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import javax.net.ssl.SSLContext;

/**
 * {@link MailSender#smtp} on Angus Mail's {@code SMTPTransport}: one connection per message, timeouts on every step,
 * the message's bytes as they are ({@code sendMessage} on a parsed copy, never {@code saveChanges}). Thread-safe.
 */
public final class SmtpSender implements MailSender {
    private final String host;
    private final int port;
    private final SSLContext trust;
    private final boolean startTls;
    private final String user;
    private final String password;

    public SmtpSender(String host, int port, SSLContext trust, boolean startTls, String user, String password) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = Arguments.remotePort(port, "port");
        this.trust = trust;
        this.startTls = startTls;
        this.user = user;
        this.password = password;
    }

    @Override
    public String send(Envelope envelope, MessageSource message) throws IOException {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", host);
        p.setProperty("mail.smtp.port", Integer.toString(port));
        p.setProperty("mail.smtp.connectiontimeout", "30000");
        p.setProperty("mail.smtp.timeout", "30000");
        p.setProperty("mail.smtp.writetimeout", "30000");
        p.setProperty("mail.smtp.localhost", "localhost"); // no DNS lookup of our own name
        p.setProperty("mail.smtp.allow8bitmime", "true");
        if (startTls) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
            p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
            if (trust != null) {
                p.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
            }
        }
        if (user != null) {
            p.setProperty("mail.smtp.auth", "true");
        }
        Session session = Session.getInstance(p);
        List<MailAddress> rcpts = envelope.recipients();
        if (rcpts.isEmpty()) {
            throw new IOException("no recipients");
        }
        Address[] to = new Address[rcpts.size()];
        try {
            for (int i = 0; i < to.length; i++) {
                to[i] = new InternetAddress(rcpts.get(i).toString(), false);
            }
            SMTPMessage m;
            try (InputStream in = message.openStream()) {
                m = new SMTPMessage(session, in);
            }
            m.setEnvelopeFrom(envelope.reversePath().map(MailAddress::toString).orElse("<>"));
            try (SMTPTransport t = (SMTPTransport) session.getTransport("smtp")) {
                t.connect(host, port, user, password);
                t.sendMessage(m, to);
                String reply = t.getLastServerResponse();
                return reply == null ? "" : reply.trim();
            }
        } catch (MessagingException e) {
            throw new IOException(host + ":" + port + " did not take the message: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
