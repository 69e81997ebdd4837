package dev.mailkit.spring.internal;

import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.spring.MailKitProperties;
import dev.mailkit.spring.MailKitServers;
import dev.mailkit.spring.SmtpProperties;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.util.Optional;
import java.util.Properties;

/**
 * A {@link JavaMailSenderImpl} that connects to the embedded SMTP server: to its submission port when it logs in and
 * there is one, else to the MX port, else to the submission or SMTPS port; with STARTTLS (or implicit TLS) trusting
 * the server's own certificate when the server has TLS. The port is read when each message is sent, so it is right
 * after a restart on port 0 too.
 */
final class EmbeddedMailSender extends JavaMailSenderImpl {
    private final MailKitServers servers;
    private final SmtpRole role;

    EmbeddedMailSender(MailKitServers servers, MailKitProperties p) {
        this.servers = servers;
        SmtpProperties s = p.getSmtp();
        MailKitProperties.MailSender m = p.getMailSender();
        boolean login = m.getUsername() != null;
        if (login && s.getSubmissionPort() != null || s.getPort() == -1 && s.getSubmissionPort() != null) {
            role = SmtpRole.SUBMISSION;
        } else if (s.getPort() != -1) {
            role = SmtpRole.MX;
        } else {
            role = SmtpRole.SMTPS;
        }
        String protocol = role == SmtpRole.SMTPS ? "smtps" : "smtp";
        setProtocol(protocol);
        Properties props = new Properties();
        props.setProperty("mail." + protocol + ".connectiontimeout", "10000");
        props.setProperty("mail." + protocol + ".timeout", "60000");
        if (login) {
            setUsername(m.getUsername());
            setPassword(m.getPassword());
            props.setProperty("mail." + protocol + ".auth", "true");
        }
        Optional<TlsConfig> tls = servers.tls();
        if (tls.isPresent()) {
            if (role != SmtpRole.SMTPS) {
                props.setProperty("mail.smtp.starttls.enable", "true");
                props.setProperty("mail.smtp.starttls.required", "true");
            }
            props.put("mail." + protocol + ".ssl.socketFactory", tls.get().clientSslContext().getSocketFactory());
        }
        setJavaMailProperties(props);
    }

    @Override
    public String getHost() {
        return servers.host();
    }

    @Override
    public int getPort() {
        return servers.smtpPort(role);
    }

    @Override
    public String toString() {
        return "EmbeddedMailSender{" + role + " port of " + servers + "}";
    }
}
