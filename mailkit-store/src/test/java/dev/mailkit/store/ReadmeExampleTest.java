package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The store, Maildir and delivery agent examples of the README, as written there. */
class ReadmeExampleTest {
    @Test
    void readmeExampleWorks() {
        MailStore store = MemoryMailStore.create();            // in memory, for tests; MaildirMailStore is the durable one
        MailAccount ann = store.account(MailAddress.parse("ann@example.test"));
        try (Mailbox inbox = ann.open(MailboxName.INBOX);
             MailboxView session = inbox.openView(ViewMode.READ_WRITE)) {
            long uid = inbox.append(MessageSource.ofText("Subject: hi\n\nhello\n"));   // from any thread
            MailboxChanges changes = session.sync();            // 1 new message, reported in IMAP order
            MessageStructure mime = inbox.structure(uid).orElseThrow();               // ENVELOPE, BODYSTRUCTURE

            assertThat(changes.newMessages()).isEqualTo(1);
            assertThat(mime.envelope().subject()).isEqualTo("hi");
        }
        store.close();
    }

    @TempDir
    Path data;

    @Test
    void maildirAndDeliveryAgentExamplesWork() throws Exception {
        UserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("ann@example.test", "pw").user("bob@example.test", "pw")
                .user("postmaster@example.test", "pw").build();
        try (MaildirMailStore store = MaildirMailStore.builder(data)
                .quota(QuotaPolicy.of(QuotaLimits.ofBytes(1L << 30)))     // 1 GiB per account
                .standardMailboxes()                                     // Drafts, Sent, Trash, Junk, Archive
                .build()) {
            MailAccount ann = store.account(MailAddress.parse("ann@example.test"));
            ann.create(MailboxName.of("news"));

            DeliveryAgent agent = DeliveryAgent.builder()
                    .store(store)
                    .users(users)                                             // users' addresses -> their INBOX
                    .alias("team@example.test", "ann@example.test", "bob@example.test")
                    .catchAll("example.test", "postmaster@example.test")
                    .plusAddressFolders(true)                                 // ann+news@ -> ann's folder "news", if it exists
                    .build();
            try (SmtpServer smtp = SmtpServer.builder().localDomains("example.test").users(users).sink(agent).build()
                    .start(); RawClient c = new RawClient(smtp.port())) {
                c.readReply();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<a@remote.test>");
                c.command("RCPT TO:<team@example.test>");
                c.command("RCPT TO:<ann+news@example.test>");
                c.command("RCPT TO:<whoever@example.test>");
                c.command("DATA");
                assertThat(c.command("Subject: readme\r\n\r\nhi\r\n.")).startsWith("250");
            }
            for (String[] box : new String[][] {{"ann", "INBOX"}, {"ann", "news"}, {"bob", "INBOX"},
                    {"postmaster", "INBOX"}}) {
                try (Mailbox m = store.account(MailAddress.parse(box[0] + "@example.test")).open(MailboxName.of(box[1]))) {
                    assertThat(m.status().messages()).as("%s/%s", box[0], box[1]).isEqualTo(1);
                }
            }
            assertThat(ann.list()).extracting(i -> i.name().toString()).contains("Drafts", "Sent", "news");
        }
    }
}
