package dev.mailkit.examples;

import dev.mailkit.core.tls.TlsConfig;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;

/** Sends mail with Jakarta Mail, the client most mailkit users' applications use. */
final class ExamplesTestSupport {
    private ExamplesTestSupport() {
    }

    static void send(int port, String from, String to, String subject, TlsConfig trust, String user, String password)
            throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "localhost");
        p.put("mail.smtp.port", String.valueOf(port));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        p.put("mail.smtp.writetimeout", "5000");
        if (trust != null) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.socketFactory", trust.clientSslContext().getSocketFactory());
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        if (user != null) {
            p.put("mail.smtp.auth", "true");
        }
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("hello\n");
        try (Transport t = session.getTransport("smtp")) {
            if (user != null) {
                t.connect(user, password);
            } else {
                t.connect();
            }
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    /**
     * Asserts that README.md shows, line for line, the code between {@code // MARKER-START} and {@code // MARKER-END}
     * in a source file of this module: the README's examples are code that compiles and runs.
     */
    static void assertReadmeShows(String sourceFile, String marker) throws java.io.IOException {
        String source = java.nio.file.Files.readString(java.nio.file.Path.of(sourceFile));
        int start = source.indexOf("// " + marker + "-START");
        int end = source.indexOf("// " + marker + "-END");
        org.assertj.core.api.Assertions.assertThat(start).as(marker + " in " + sourceFile).isPositive();
        String snippet = source.substring(start + ("// " + marker + "-START").length(), end);
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        for (String line : snippet.strip().split("\n")) {
            org.assertj.core.api.Assertions.assertThat(readme).as("README.md shows the example line").contains(
                    line.strip());
        }
    }
}
