package dev.mailkit.test;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.net.ssl.SSLContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The IMAP side of the test server: what arrives over SMTP is in the recipients' INBOX. */
class MailKitImapTest {
    @TempDir
    Path dir;

    static Store imap(String protocol, int port, String user, String password, SSLContext trust) throws Exception {
        Properties p = new Properties();
        String k = "mail." + protocol + ".";
        p.put(k + "host", "localhost");
        p.put(k + "port", String.valueOf(port));
        p.put(k + "connectiontimeout", "5000");
        p.put(k + "timeout", "5000");
        if (trust != null) {
            p.put(k + "ssl.socketFactory", trust.getSocketFactory());
            p.put(k + "ssl.checkserveridentity", "true");
        }
        Store s = Session.getInstance(p).getStore(protocol);
        s.connect(user, password);
        return s;
    }

    @Test
    void mailSentOverSmtpIsReadBackOverImap() throws Exception {
        try (MailKit mail = MailKit.builder().smtp().imap().build().start()) {
            Mailer c = new Mailer(mail.smtpPort());
            c.send(c.simple("shop@shop.test", "bob@example.test", "Your receipt", "Thanks for your order"));
            mail.takeMessage();
            try (Store store = imap("imap", mail.imapPort(), "bob@example.test", "any password", null)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                Message[] all = inbox.getMessages();
                assertThat(all).hasSize(1);
                assertThat(all[0].getSubject()).isEqualTo("Your receipt");
                assertThat((String) all[0].getContent()).contains("Thanks for your order");
            }
        }
    }

    @Test
    void strictUsersPreloadedMailAndImaps() throws Exception {
        Path eml = Files.writeString(dir.resolve("a.eml"), "From: a@x.test\r\nSubject: preloaded\r\n\r\nhello\r\n");
        try (MailKit mail = MailKit.builder().imap().tls().user("alice@example.test", "secret").build().start()) {
            mail.preload("alice@example.test", eml);
            mail.deliver("alice@example.test", "From: b@x.test\nSubject: delivered\n\nhi\n");
            assertThatThrownBy(() -> imap("imap", mail.imapPort(), "alice@example.test", "wrong", null))
                    .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
            try (Store store = imap("imaps", mail.imapsPort(), "alice@example.test", "secret", mail.sslContext())) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("preloaded", "delivered");
            }
            assertThat(mail.messages()).as("preloaded mail is not an SMTP transaction").isEmpty();
        }
        try (MailKit smtpOnly = MailKit.startDefault()) {
            assertThatThrownBy(smtpOnly::imapPort).hasMessageContaining("MailKit.builder().imap()");
        }
    }

    @Test
    void pop3SeesTheSameMailboxes() throws Exception {
        try (MailKit mail = MailKit.builder().smtp().imap().pop3().tls().build().start()) {
            Mailer c = new Mailer(mail.smtpPort());
            c.send(c.simple("shop@shop.test", "carol@example.test", "Over POP3", "pop pop"));
            mail.takeMessage();
            try (Store store = imap("pop3s", mail.pop3sPort(), "carol@example.test", "pw", mail.sslContext())) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("Over POP3");
                inbox.close(false);
            }
            try (Store store = imap("pop3", mail.pop3Port(), "carol@example.test", "pw", null)) {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(inbox.getMessageCount()).isEqualTo(1);
                inbox.close(false);
            }
        }
    }
}
