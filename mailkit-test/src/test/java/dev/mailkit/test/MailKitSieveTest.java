package dev.mailkit.test;

import dev.mailkit.core.MailAddress;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.test.junit.MailKitExtension;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A test server that runs users' Sieve scripts: a script installed from the test decides where mail goes. */
class MailKitSieveTest {
    private static String send(MailKit mail, String from, String to, String message) throws IOException {
        try (RawClient c = new RawClient(mail.smtpPort())) {
            c.readReply();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<" + from + ">");
            c.command("RCPT TO:<" + to + ">");
            c.command("DATA");
            return c.command(message.replace("\n", "\r\n") + "\r\n.");
        }
    }

    @Test
    void anInstalledScriptFilesRejectsAndAnswersWithAVacationReplyTheTestCanAwait() throws IOException {
        try (MailKit mail = MailKit.builder().sieve().imap().build().start()) {
            mail.installSieveScript("ann@example.test", """
                    require ["fileinto", "mailbox", "vacation", "reject"];
                    if header :contains "subject" "spam" { reject "no spam please"; stop; }
                    if header :contains "subject" "invoice" { fileinto :create "Invoices"; }
                    vacation :subject "Away" "Back on Monday.";
                    """);
            assertThat(send(mail, "shop@remote.test", "ann@example.test",
                    "From: shop@remote.test\nTo: ann@example.test\nSubject: invoice 42\n\npay")).startsWith("250");
            assertThat(send(mail, "x@remote.test", "ann@example.test", "Subject: buy spam\n\nx")).startsWith("550 5.7.1");
            try (Mailbox invoices = mail.store().account(MailAddress.parse("ann@example.test"))
                    .open(MailboxName.of("Invoices"))) {
                assertThat(invoices.status().messages()).isEqualTo(1);
            }
            List<ReceivedMail> replies = mail.awaitMessagesTo("shop@remote.test", 1, Duration.ofSeconds(10));
            assertThat(replies).singleElement().satisfies(r -> {
                assertThat(r.subject()).isEqualTo("Away");
                assertThat(r.firstHeader("Auto-Submitted")).isEqualTo("auto-replied (vacation)");
                assertThat(r.sender()).isEmpty();
            });
        }
    }

    /**
     * A delivery whose script files into a mailbox it creates ({@code fileinto :create}) is heard by an IMAP session
     * with NOTIFY (RFC 5465): the new mailbox as {@code * LIST}, and the message in it as {@code * STATUS}.
     */
    @Test
    void aMailboxThatSieveCreatesIsHeardByAnImapSessionWithNotify() throws IOException {
        try (MailKit mail = MailKit.builder().sieve().imap().build().start();
             RawClient imap = new RawClient(mail.imapPort(), Duration.ofSeconds(10))) {
            mail.installSieveScript("ann@example.test", """
                    require ["fileinto", "mailbox"];
                    if header :contains "subject" "invoice" { fileinto :create "Invoices"; }
                    """);
            imap.readLine();
            imap.send("a LOGIN ann@example.test secret\r\n");
            assertThat(imap.readLine()).startsWith("a OK");
            imap.send("b NOTIFY SET (personal (MessageNew MessageExpunge MailboxName))\r\n");
            assertThat(imap.readLine()).isEqualTo("b OK NOTIFY completed");
            assertThat(send(mail, "shop@remote.test", "ann@example.test",
                    "From: shop@remote.test\nSubject: invoice 42\n\npay")).startsWith("250");
            assertThat(imap.readLine()).isEqualTo("* LIST () \".\" Invoices");
            assertThat(imap.readLine()).isEqualTo("* STATUS Invoices (MESSAGES 1 UIDNEXT 2)");
            imap.send("c NOOP\r\n");
            assertThat(imap.readLine()).isEqualTo("c OK NOOP completed");
        }
    }

    /** The same through the JUnit extension. */
    @Nested
    class ThroughTheExtension {
        @RegisterExtension
        final MailKitExtension mail = MailKitExtension.builder().sieve().build();

        @Test
        void aScriptInstalledThroughTheExtensionFilesTheMail() throws IOException {
            mail.installSieveScript("bob@example.test", "if header :contains \"subject\" \"ads\" { discard; }");
            assertThat(send(mail.server(), "x@remote.test", "bob@example.test", "Subject: ads\n\nx")).startsWith("250");
            assertThat(send(mail.server(), "x@remote.test", "bob@example.test", "Subject: hi\n\nx")).startsWith("250");
            try (Mailbox inbox = mail.store().account(MailAddress.parse("bob@example.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
            }
        }
    }

    @Test
    void aScriptThatDoesNotCompileIsRefusedWithSievecsWords() {
        try (MailKit mail = MailKit.builder().sieve().build().start()) {
            assertThatThrownBy(() -> mail.installSieveScript("ann@example.test", "keep;\nfileinto \"x\";"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("script: line 2: error: unknown command 'fileinto' (only reported once at first "
                            + "occurrence).");
        }
        try (MailKit plain = MailKit.builder().build().start()) {
            assertThatThrownBy(() -> plain.installSieveScript("ann@example.test", "keep;"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("MailKit.builder().sieve()");
        }
    }
}
