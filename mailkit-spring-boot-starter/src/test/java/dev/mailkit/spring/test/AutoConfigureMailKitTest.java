package dev.mailkit.spring.test;

import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AutoConfigureMailKit} on a whole Spring Boot test: Spring Boot's own JavaMailSender (from spring.mail.*) sends
 * through the test server with STARTTLS and a login, trusting the generated certificate through an SSL bundle.
 */
@SpringBootTest(classes = AutoConfigureMailKitTest.App.class)
@AutoConfigureMailKit(users = "app@shop.test:app-password", tls = true, imap = true)
class AutoConfigureMailKitTest {
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @Autowired
    MailKit mail;

    @Autowired
    JavaMailSender sender;

    @Value("${mailkit.test.imap-port}")
    int imapPort;

    @BeforeEach
    void clean() {
        mail.purgeAll();
    }

    @Test
    void springBootsMailSenderSendsThroughTheTestServerOverTlsWithALogin() {
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom("app@shop.test");
        m.setTo("bob@example.test");
        m.setBcc("audit@shop.test");
        m.setSubject("Welcome");
        m.setText("Hello Bob");
        sender.send(m);

        ReceivedMail got = mail.takeMessage();
        assertThat(got).hasSubject("Welcome").hasOnlyRecipients("bob@example.test", "audit@shop.test");
        assertThat(got.envelope().authenticatedUser()).contains("app@shop.test");
        assertThat(got.transcript()).anyMatch(line -> line.contains("STARTTLS"));
        assertThat(imapPort).isEqualTo(mail.imapPort());
    }

    @Nested
    class InANestedClass {
        @Autowired
        MailKit nestedMail;

        @Test
        void theSameServerIsThere() {
            assertThat(nestedMail).isSameAs(mail);
        }
    }
}
