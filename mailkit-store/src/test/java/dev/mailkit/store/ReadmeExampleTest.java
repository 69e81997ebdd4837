package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.store.mime.MessageStructure;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The store example of the README, as written there. */
class ReadmeExampleTest {
    @Test
    void readmeExampleWorks() {
        MailStore store = MemoryMailStore.create();            // in memory, for tests; a Maildir store is coming
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
}
