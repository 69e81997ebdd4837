package dev.mailkit.examples.spring;

import dev.mailkit.spring.test.AutoConfigureMailKit;
import dev.mailkit.test.MailKit;
import dev.mailkit.test.ReceivedMail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring Boot test of an application that sends mail: {@code @AutoConfigureMailKit} starts a throwaway mailkit
 * server for the test's context and points {@code spring.mail.*} at it (host, port, login), so the application's
 * own {@code JavaMailSender} sends to it; the test asserts on what arrived: the whole envelope (the BCC too), the
 * decoded subject and both bodies. (The README's "Spring Boot tests" section shows this test before and after a
 * move from GreenMail.)
 */
@SpringBootTest(classes = WelcomeMailApplication.class)
@AutoConfigureMailKit(users = "app@shop.test:app-password")
class WelcomeMailSpringBootTest {
    @Autowired
    MailKit mail;                       // the server of this context, shared by the tests of the class

    @Autowired
    WelcomeMailApplication.Registration registration;

    @BeforeEach
    void clean() {
        mail.purgeAll();
        mail.faults().reset();
    }

    @Test
    void registeringSendsAWelcomeMail() throws Exception {
        registration.register("bob@example.test", "Bob");

        ReceivedMail m = mail.takeMessage();
        assertThat(m).hasSubject("Welcome, Bob")
                .hasFrom("welcome@shop.test")
                .hasRecipient("bob@example.test")
                .hasRecipient("audit@shop.test")          // the BCC: only the envelope knows
                .textContains("thanks for signing up")
                .htmlContains("<b>Bob</b>");
        org.assertj.core.api.Assertions.assertThat(m.envelope().authenticatedUser()).contains("app@shop.test");
    }

    @Test
    void aRefusingMailServerSurfacesAsAnException() {
        mail.faults().rejectRecipient("blocked@example.test", 550, "5.1.1", "No such user");
        assertThatThrownBy(() -> registration.register("blocked@example.test", "Blocked"))
                .isInstanceOf(MailSendException.class).hasStackTraceContaining("550 5.1.1 No such user");
    }
}
