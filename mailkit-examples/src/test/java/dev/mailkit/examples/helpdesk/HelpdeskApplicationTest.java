package dev.mailkit.examples.helpdesk;

import dev.mailkit.spring.MailKitServers;
import jakarta.mail.Message;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The help desk runs its own SMTP server; a customer's mail becomes a ticket row, other addresses are refused. */
@SpringBootTest(classes = HelpdeskApplication.class)
class HelpdeskApplicationTest {
    @Autowired
    MailKitServers mail;

    @Autowired
    HelpdeskApplication.Tickets tickets;

    @Test
    void aCustomersMailBecomesATicket() throws Exception {
        send("ann@customer.test", "support@helpdesk.test", "Printer on fire", "It is really on fire.");

        assertThat(tickets.all()).singleElement().satisfies(t -> {
            assertThat(t.sender()).isEqualTo("ann@customer.test");
            assertThat(t.subject()).isEqualTo("Printer on fire");
            assertThat(t.body()).contains("really on fire");
        });
        assertThat(mail.messagesDelivered()).isEqualTo(1);
    }

    @Test
    void otherAddressesAndOtherDomainsAreRefused() {
        assertThatThrownBy(() -> send("ann@customer.test", "sales@helpdesk.test", "Hi", "?"))
                .isInstanceOf(SendFailedException.class).hasStackTraceContaining("550 5.1.1");
        assertThatThrownBy(() -> send("ann@customer.test", "someone@elsewhere.test", "Hi", "?"))
                .isInstanceOf(SendFailedException.class).hasStackTraceContaining("5.7.1");
        assertThat(tickets.all()).noneMatch(t -> t.subject().equals("Hi"));
    }

    private void send(String from, String to, String subject, String text) throws Exception {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", mail.host());
        p.setProperty("mail.smtp.port", Integer.toString(mail.smtpPort()));
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText(text);
        Transport.send(m);
    }
}
