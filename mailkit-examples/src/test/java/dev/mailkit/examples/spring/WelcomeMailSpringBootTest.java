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
 * decoded subject and both bodies. The README's "Spring Boot tests" shows the part between the markers, after a
 * GreenMail version of the same test ({@code SpringReadmeTest} checks it).
 */
// README-SPRING-TEST-START
@SpringBootTest(classes = WelcomeMailApplication.class)
@AutoConfigureMailKit(users = "app@shop.test:app-password")    // a free port; spring.mail.* set for you
class WelcomeMailSpringBootTest {
    @Autowired MailKit mail;                                    // this context's server
    @Autowired WelcomeMailApplication.Registration registration;

    @Test
    void registeringSendsAWelcomeMail() throws Exception {
        registration.register("bob@example.test", "Bob");
        ReceivedMail m = mail.takeMessage();                    // waits, or fails listing what did arrive
        assertThat(m).hasSubject("Welcome, Bob")
                .hasRecipient("audit@shop.test")                // the BCC: the envelope has it
                .textContains("thanks for signing up")
                .htmlContains("<b>Bob</b>");
    }
// README-SPRING-TEST-END

    @BeforeEach
    void clean() {                      // the tests of the class share the context, and so the server
        mail.purgeAll();
        mail.faults().reset();
    }

    @Test
    void theApplicationLogsInAsTheConfiguredUser() throws Exception {
        registration.register("carol@example.test", "Carol");
        org.assertj.core.api.Assertions.assertThat(mail.takeMessage().envelope().authenticatedUser())
                .contains("app@shop.test");
    }

    @Test
    void aRefusingMailServerSurfacesAsAnException() {
        mail.faults().rejectRecipient("blocked@example.test", 550, "5.1.1", "No such user");
        assertThatThrownBy(() -> registration.register("blocked@example.test", "Blocked"))
                .isInstanceOf(MailSendException.class).hasStackTraceContaining("550 5.1.1 No such user");
    }
}
