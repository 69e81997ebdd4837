package dev.mailkit.test;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import java.util.Properties;
import javax.net.ssl.SSLContext;

/** A small Jakarta Mail client for the tests: what an application under test would do. */
final class Mailer {
    private final Properties props = new Properties();
    private String user;
    private String password;
    private String protocol = "smtp";

    Mailer(int port) {
        props.put("mail.smtp.host", "localhost");
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtps.host", "localhost");
        props.put("mail.smtps.port", String.valueOf(port));
        for (String p : new String[] {"smtp", "smtps"}) {
            props.put("mail." + p + ".connectiontimeout", "5000");
            props.put("mail." + p + ".timeout", "5000");
            props.put("mail." + p + ".writetimeout", "5000");
        }
    }

    Mailer login(String u, String p) {
        user = u;
        password = p;
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtps.auth", "true");
        return this;
    }

    Mailer startTls(SSLContext trust) {
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", trust.getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        return this;
    }

    Mailer implicitTls(SSLContext trust) {
        protocol = "smtps";
        props.put("mail.smtps.ssl.socketFactory", trust.getSocketFactory());
        props.put("mail.smtps.ssl.checkserveridentity", "true");
        return this;
    }

    MimeMessage message() {
        return new MimeMessage(Session.getInstance(props));
    }

    MimeMessage simple(String from, String to, String subject, String text) throws Exception {
        MimeMessage m = message();
        m.setFrom(new InternetAddress(from));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        return m;
    }

    MimeMessage rich(String from, String to, String subject) throws Exception {
        MimeMessage m = message();
        m.setFrom(new InternetAddress(from, "The Shop", "UTF-8"));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
        m.setSubject(subject, "UTF-8");
        MimeMultipart alt = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Your order ships today. Grüße!", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Your order <b>ships</b> today.</p>", "text/html; charset=UTF-8");
        alt.addBodyPart(text);
        alt.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alt);
        MimeBodyPart pdf = new MimeBodyPart();
        pdf.setContent(new byte[] {'%', 'P', 'D', 'F', 1, 2, 3}, "application/pdf");
        pdf.setFileName("invoice-42.pdf");
        pdf.setDisposition("attachment");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(pdf);
        m.setContent(mixed);
        return m;
    }

    void send(MimeMessage m) throws Exception {
        send(m, m.getAllRecipients());
    }

    void send(MimeMessage m, jakarta.mail.Address[] envelopeRecipients) throws Exception {
        m.saveChanges();
        Session session = Session.getInstance(props);
        try (Transport t = session.getTransport(protocol)) {
            if (user != null) {
                t.connect(user, password);
            } else {
                t.connect();
            }
            t.sendMessage(m, envelopeRecipients);
        }
    }
}
