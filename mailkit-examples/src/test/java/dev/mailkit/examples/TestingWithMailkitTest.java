package dev.mailkit.examples;

import dev.mailkit.test.ClientProtocol;
import dev.mailkit.test.ReceivedMail;
import dev.mailkit.test.junit.MailKitExtension;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;

/** The README's "Testing with mailkit" code, compiled and run: the extension, a wait, assertions, the migration calls. */
class TestingWithMailkitTest {
    /** The application under test: it sends a welcome mail through whatever Jakarta Mail session it is given. */
    static final class WelcomeApp {
        private final Session session;

        WelcomeApp(Session session) {
            this.session = session;
        }

        void register(String address) throws MessagingException {
            MimeMessage m = new MimeMessage(session);
            m.setFrom("welcome@shop.test");
            m.setRecipients(Message.RecipientType.TO, address);
            m.setSubject("Welcome");
            m.setText("Hello and welcome!");
            Transport.send(m);
        }
    }

    // README-TESTING-START
    @RegisterExtension
    static MailKitExtension mail = MailKitExtension.builder()
            .user("alice@example.test", "secret")   // strict logins; without users any login is accepted
            .imap()                                  // mail accepted over SMTP lands in each recipient's INBOX
            .build();                                // a new server per test; .perClass() for one per class

    @Test
    void sendsWelcomeMail() throws Exception {
        WelcomeApp app = new WelcomeApp(mail.clientSession(ClientProtocol.SMTP, "alice@example.test", "secret"));
        app.register("bob@example.test");           // Transport.send through the server's SMTP port
        ReceivedMail m = mail.takeMessage();        // waits (10 s by default), then fails listing what did arrive
        assertThat(m).hasSubject("Welcome").hasRecipient("bob@example.test").bodyContains("Hello");
    }
    // README-TESTING-END

    @Test
    void migrationCalls(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        WelcomeApp app = new WelcomeApp(mail.clientSession(ClientProtocol.SMTP, "alice@example.test", "secret"));
        app.register("carol@example.test");
        app.register("carol@example.test");
        org.assertj.core.api.Assertions.assertThat(mail.awaitMessagesTo("carol@example.test", 2, Duration.ofSeconds(5)))
                .hasSize(2);
        Path eml = Files.writeString(dir.resolve("old.eml"), "From: a@b.test\r\nSubject: preloaded\r\n\r\nx\r\n");
        mail.preload("carol@example.test", eml);
        org.assertj.core.api.Assertions.assertThat(mail.store()).isNotNull();
        org.assertj.core.api.Assertions.assertThat(mail.messagesTo("carol@example.test")).hasSize(2);
        mail.purgeAll();
        org.assertj.core.api.Assertions.assertThat(mail.messages()).isEmpty();
    }

    @Test
    void readmeShowsTheCompiledExample() throws Exception {
        ExamplesTestSupport.assertReadmeShows("src/test/java/dev/mailkit/examples/TestingWithMailkitTest.java",
                "README-TESTING");
    }
}
