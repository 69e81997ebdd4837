package dev.mailkit.scan;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Rspamd;
import dev.mailkit.scan.daemons.Spamd;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spam that is not refused is filed into each user's Junk by the delivery agent (a threshold per user), and what users
 * then move over IMAP (Jakarta Mail's client) teaches Rspamd and spamd, end to end with the real daemons.
 */
@ExtendWith(RealDaemons.class)
class JunkAndLearningTest {
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1)
            .user("ann@local.test", "ann-pw").user("bob@local.test", "bob-pw").build();

    static List<String> subjects(MemoryMailStore store, String user, String box) {
        List<String> out = new ArrayList<>();
        try (Mailbox m = store.account(AccountId.parse(user)).open(MailboxName.of(box))) {
            for (long uid = 1; uid < m.status().uidNext(); uid++) {
                m.content(uid).ifPresent(c -> {
                    try (MessageSource s = c) {
                        out.add(s.headers().getHeader("Subject", null));
                    }
                });
            }
        }
        return out;
    }

    @Test
    void spamGoesToJunkByEachUsersThresholdAndMovesTeachTheScanners(Spamd spamd, Rspamd rspamd) throws Exception {
        SpamdClient spamdClient = SpamdClient.builder(spamd.address()).build();
        try (MemoryMailStore store = MemoryMailStore.create()) {
            DeliveryAgent agent = DeliveryAgent.builder().store(store).users(USERS)
                    .mailboxRule(JunkFolder.builder().threshold("bob@local.test", Double.POSITIVE_INFINITY).build())
                    .build();
            ScanFilter filter = ScanFilter.builder().hostName("mx.local.test").scanner(spamdClient).build();
            try (SmtpServer smtp = SmtpServer.builder().localDomains("local.test").users(USERS).sink(agent)
                    .filters(filter).build().start()) {
                assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("ann@local.test", "bob@local.test"),
                        Messages.gtube())).startsWith("250");
                assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("ann@local.test"),
                        Messages.clean())).startsWith("250");
            }
            assertThat(subjects(store, "ann@local.test", "Junk")).containsExactly("Test spam mail (GTUBE)");
            assertThat(subjects(store, "ann@local.test", "INBOX")).containsExactly("Lunch on Friday");
            assertThat(subjects(store, "bob@local.test", "INBOX")).containsExactly("Test spam mail (GTUBE)");

            try (Mailbox junk = store.account(AccountId.parse("ann@local.test")).open(MailboxName.of("Junk"))) {
                junk.append(Messages.text("Minutes of the meeting", "The minutes of Tuesday's meeting are attached; "
                        + "please read them before the review on Thursday. " + System.nanoTime())); // not spam
            }
            ScannerLearning learning = ScannerLearning.builder().rspamd(rspamd.client().build()).spamd(spamdClient)
                    .build();
            long before = RspamdStats.learned(rspamd);
            try (ImapServer imap = ImapServer.builder().store(store).users(USERS).spamLearning(learning).build()
                    .start()) {
                Properties p = new Properties();
                p.put("mail.imap.host", "127.0.0.1");
                p.put("mail.imap.port", String.valueOf(imap.port()));
                p.put("mail.imap.connectiontimeout", "10000");
                p.put("mail.imap.timeout", "30000");
                Store client = Session.getInstance(p).getStore("imap");
                client.connect("ann@local.test", "ann-pw");
                try {
                    IMAPFolder inbox = (IMAPFolder) client.getFolder("INBOX");
                    inbox.open(Folder.READ_WRITE);
                    inbox.moveMessages(inbox.getMessages(), client.getFolder("Junk")); // "this is spam"
                    inbox.close();
                    assertThat(RspamdStats.learned(rspamd)).isEqualTo(before + 1);
                    IMAPFolder junk = (IMAPFolder) client.getFolder("Junk");
                    junk.open(Folder.READ_WRITE);
                    Message[] spam = junk.getMessages();
                    assertThat(spam).hasSize(3);
                    assertThat(spam[1].getSubject()).isEqualTo("Minutes of the meeting");
                    junk.moveMessages(new Message[] {spam[1]}, client.getFolder("INBOX")); // "this is not spam"
                    junk.close();
                } finally {
                    client.close();
                }
            }
            assertThat(RspamdStats.learned(rspamd)).isEqualTo(before + 2);
            assertThat(subjects(store, "ann@local.test", "INBOX")).containsExactly("Minutes of the meeting");
        }
    }
}
