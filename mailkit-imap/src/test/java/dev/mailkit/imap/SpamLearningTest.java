package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.SpamLearning;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moving or copying mail into Junk teaches spam, out of Junk (but not into Trash) teaches ham, as Dovecot's IMAPSieve
 * anti-spam set-up; a learning that fails does not fail the command.
 */
class SpamLearningTest {
    @Test
    void movesIntoAndOutOfJunkAreLearned() throws Exception {
        List<String> learned = new CopyOnWriteArrayList<>();
        SpamLearning learning = new SpamLearning() {
            @Override
            public void learnSpam(String user, MessageSource message) {
                learned.add("spam " + user + " " + message.headers().getHeader("Subject", null));
                throw new IllegalStateException("the scanner is down"); // must not fail the MOVE
            }

            @Override
            public void learnHam(String user, MessageSource message) {
                learned.add("ham " + user + " " + message.headers().getHeader("Subject", null));
            }
        };
        try (MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build()) {
            try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
                inbox.append(MessageSource.ofText("Subject: one\r\n\r\nx\r\n"));
                inbox.append(MessageSource.ofText("Subject: two\r\n\r\nx\r\n"));
            }
            try (ImapServer server = ImapServerTest.plain().store(store).spamLearning(learning).build().start();
                 RawImap c = new RawImap(server.port())) {
                c.greeting();
                assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
                c.tagged("SELECT INBOX");
                assertThat(c.tagged("UID MOVE 1 Junk")).contains("OK");
                assertThat(c.tagged("UID COPY 2 Archive")).contains("OK");
                c.tagged("SELECT Junk");
                assertThat(c.tagged("MOVE 1 INBOX")).contains("OK");
                c.tagged("SELECT INBOX");
                assertThat(c.tagged("UID MOVE 3 Junk")).contains("OK");
                c.tagged("SELECT Junk");
                assertThat(c.tagged("MOVE 1 Trash")).contains("OK");
            }
        }
        assertThat(learned).containsExactly("spam joe@example.com one", "ham joe@example.com one",
                "spam joe@example.com one");
    }
}
