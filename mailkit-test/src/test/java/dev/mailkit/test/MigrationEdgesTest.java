package dev.mailkit.test;

import dev.mailkit.test.junit.MailKitExtension;
import dev.mailkit.test.junit.MailKitOperations;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static dev.mailkit.test.assertj.MailKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The promises a GreenMail user relies on when moving a test suite to mailkit-test: UTF-8 headers read back as text,
 * display names as written, purging that empties mailboxes, ready Jakarta Mail sessions for every port, and the
 * extension offering everything the server offers.
 */
class MigrationEdgesTest {
    @Test
    void utf8HeadersSentWithSmtputf8ComeBackAsText() throws Exception {
        try (MailKit mail = MailKit.builder().imap().build().start()) {
            Properties p = mail.clientProperties(ClientProtocol.SMTP);
            p.setProperty("mail.mime.allowutf8", "true"); // Jakarta Mail then sends raw UTF-8 over SMTPUTF8
            Session s = Session.getInstance(p);
            MimeMessage m = new MimeMessage(s);
            m.setFrom(new InternetAddress("shop@example.test", "Shöp ✓", "UTF-8"));
            m.setRecipient(Message.RecipientType.TO, new InternetAddress("jörg@example.test"));
            m.setHeader("Subject", "Grüße aus Köln ✓"); // raw UTF-8, as RFC 6532 allows
            m.setText("Hallo Jörg", "UTF-8");
            Transport.send(m);
            ReceivedMail r = mail.takeMessage();
            assertThat(r.rawText()).as("sent raw, not encoded").contains("Subject: Grüße aus Köln ✓");
            assertThat(r.subject()).isEqualTo("Grüße aus Köln ✓");
            assertThat(r.from()).containsExactly("Shöp ✓ <shop@example.test>");
            assertThat(r.to()).containsExactly("jörg@example.test");
            assertThat(r.recipients()).extracting(Object::toString).containsExactly("jörg@example.test");
            assertThat(r).hasFrom("Shöp ✓ <shop@example.test>").hasFrom("shop@example.test").hasTo("jörg@example.test")
                    .hasSubject("Grüße aus Köln ✓").textContains("Hallo Jörg");
        }
    }

    @Test
    void displayNamesAreGivenAsWrittenWithoutAddedQuotes() throws Exception {
        try (MailKit mail = MailKit.startDefault()) {
            Mailer client = new Mailer(mail.smtpPort());
            MimeMessage m = client.simple("shop@example.test", "a@example.test", "names", "x");
            m.setFrom(new InternetAddress("shop@example.test", "Bäckerei Müller", "UTF-8"));
            m.setRecipients(Message.RecipientType.CC, "\"Smith, John\" <john@example.test>, plain@example.test");
            client.send(m);
            ReceivedMail r = mail.takeMessage();
            assertThat(r.from()).containsExactly("Bäckerei Müller <shop@example.test>");
            assertThat(r.cc()).containsExactly("Smith, John <john@example.test>", "plain@example.test");
            assertThat(r).hasFrom("Bäckerei Müller <shop@example.test>").hasCc("john@example.test");
        }
    }

    @Test
    void purgingRecordsMailboxesOrBothSaysWhatItDoes() throws Exception {
        try (MailKit mail = MailKit.builder().imap().pop3().build().start()) {
            Mailer client = new Mailer(mail.smtpPort());
            client.send(client.simple("a@shop.test", "bob@example.test", "one", "x"));
            mail.takeMessage();
            mail.purgeRecords();
            assertThat(mail.messages()).isEmpty();
            assertThat(inboxCount(mail, "bob@example.test")).as("purgeRecords leaves the mailboxes").isEqualTo(1);

            client.send(client.simple("a@shop.test", "bob@example.test", "two", "x"));
            mail.awaitMessages(1);
            assertThat(mail.purgeMailboxes()).isEqualTo(2);
            assertThat(inboxCount(mail, "bob@example.test")).isZero();
            assertThat(mail.messages()).as("purgeMailboxes leaves the records").hasSize(1);

            client.send(client.simple("a@shop.test", "bob@example.test", "three", "x"));
            mail.awaitMessages(2);
            mail.purgeAll();
            assertThat(mail.messages()).isEmpty();
            assertThat(inboxCount(mail, "bob@example.test")).isZero();
        }
    }

    static int inboxCount(MailKit mail, String user) throws Exception {
        Store store = mail.clientSession(ClientProtocol.IMAP).getStore();
        store.connect(user, "any");
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            int n = inbox.getMessageCount();
            inbox.close(false);
            return n;
        } finally {
            store.close();
        }
    }

    @Test
    void takeMessagesAndAwaitMessagesToWithTimeouts() throws Exception {
        try (MailKit mail = MailKit.builder().timeout(Duration.ofSeconds(10)).build().start()) {
            Mailer client = new Mailer(mail.smtpPort());
            client.send(client.simple("a@shop.test", "x@example.test", "1", "x"));
            client.send(client.simple("a@shop.test", "y@example.test", "2", "x"));
            client.send(client.simple("a@shop.test", "x@example.test", "3", "x"));
            assertThat(mail.takeMessages(2)).extracting(ReceivedMail::subject).containsExactly("1", "2");
            assertThat(mail.awaitMessagesTo("x@example.test", 2, Duration.ofSeconds(5)))
                    .extracting(ReceivedMail::subject).containsExactly("1", "3");
            assertThatThrownBy(() -> mail.takeMessages(2, Duration.ofMillis(300))).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("Took 1 of 2 messages within 300 ms");
            assertThatThrownBy(() -> mail.awaitMessagesTo("y@example.test", 2, Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("2 messages to y@example.test");
        }
    }

    /** Ready sessions for every port, TLS trusted per session, smtps through Transport.send. */
    @Test
    void jakartaMailSessionsForEveryPort() throws Exception {
        try (MailKit mail = MailKit.builder().imap().pop3().tls().user("bob@example.test", "pw").build().start()) {
            for (ClientProtocol p : List.of(ClientProtocol.SMTP, ClientProtocol.SMTPS)) {
                Session s = mail.clientSession(p, "bob@example.test", "pw");
                MimeMessage m = new MimeMessage(s);
                m.setFrom("bob@example.test");
                m.setRecipients(Message.RecipientType.TO, "bob@example.test");
                m.setSubject("via " + p);
                m.setText("x");
                Transport.send(m);
                ReceivedMail r = mail.takeMessage();
                assertThat(r.subject()).isEqualTo("via " + p);
                assertThat(r.envelope().tls()).as("over TLS").isPresent();
                assertThat(r.envelope().authenticatedUser()).contains("bob@example.test");
            }
            for (ClientProtocol p : List.of(ClientProtocol.IMAP, ClientProtocol.IMAPS, ClientProtocol.POP3,
                    ClientProtocol.POP3S)) {
                Store store = mail.clientSession(p, "bob@example.test", "pw").getStore();
                store.connect();
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).as(p.toString()).isEqualTo(2);
                assertThat(Arrays.stream(inbox.getMessages()).map(m -> {
                    try {
                        return m.getSubject();
                    } catch (jakarta.mail.MessagingException e) {
                        throw new AssertionError(e);
                    }
                })).containsExactlyInAnyOrder("via SMTP", "via SMTPS");
                inbox.close(false);
                store.close();
            }
            assertThatThrownBy(() -> MailKit.startDefault().clientSession(ClientProtocol.IMAP))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("imap()");
        }
    }

    /** Code written against MailKit works on the extension: every operation is there, with the same signature. */
    @Test
    void theExtensionOffersEveryOperationOfTheServer() throws Exception {
        Set<String> lifeCycle = Set.of("start", "close", "toString", "hashCode", "equals");
        List<String> missing = new ArrayList<>();
        for (Method m : MailKit.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != MailKit.class
                    || lifeCycle.contains(m.getName())) {
                continue;
            }
            try {
                Method e = MailKitExtension.class.getMethod(m.getName(), m.getParameterTypes());
                if (!e.getGenericReturnType().equals(m.getGenericReturnType())) {
                    missing.add(m + " (returns " + e.getGenericReturnType() + ")");
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.toString());
            }
        }
        assertThat(missing).as("MailKit methods the extension lacks").isEmpty();
        assertThat(MailKitOperations.class.isAssignableFrom(MailKitExtension.class)).isTrue();
    }
}
