package dev.mailkit.examples.spring;

import dev.mailkit.test.ReceivedMail;
import dev.mailkit.test.junit.MailKitExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.MailSendException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Spring Boot test that points {@code spring.mail.*} at a throwaway mailkit server and asserts on what the
 * application sent: the whole envelope (the BCC too), the decoded subject and both bodies.
 */
@SpringBootTest(classes = WelcomeMailApplication.class)
class WelcomeMailSpringBootTest {
    @RegisterExtension
    static MailKitExtension mail = MailKitExtension.builder()
            .user("app@shop.test", "app-password")
            .perClass()                 // one server for the Spring context, which is shared by the tests
            .build();

    @DynamicPropertySource
    static void mailProperties(DynamicPropertyRegistry r) {
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", mail::smtpPort);
        r.add("spring.mail.username", () -> "app@shop.test");
        r.add("spring.mail.password", () -> "app-password");
        r.add("spring.mail.properties.mail.smtp.auth", () -> "true");
    }

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
