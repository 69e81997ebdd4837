package dev.mailkit.store.maildir;

import dev.mailkit.core.MailAddress;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loaded Maildir mailboxes hold no file descriptors: many mailboxes of many accounts selected at once, with their
 * messages appended, flagged and their structures read (index journal and structure cache written), leave no file of
 * the store open but its lock file, so the open files of a server do not grow with the mailboxes its sessions have
 * loaded (before, each loaded mailbox kept its {@code mailkit-index} and {@code mailkit-cache} open for writing: 2 per
 * mailbox, without bound, and a read-only remount was refused while any mailbox was loaded). Linux only (counts
 * {@code /proc/self/fd}).
 */
class MaildirDescriptorsTest {
    private static final int ACCOUNTS = 150;
    private static final int MESSAGES = 12;

    @TempDir
    Path tmp;

    @Test
    void selectedMailboxesHoldNoDescriptors() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc (Linux)");
        Path data = tmp.resolve("data");
        List<AutoCloseable> open = new ArrayList<>();
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            try {
                for (int a = 0; a < ACCOUNTS; a++) {
                    MailAccount account = store.account(MailAddress.parse("user" + a + "@example.com"));
                    account.create(MailboxName.of("Archive"));
                    for (MailboxName name : List.of(MailboxName.INBOX, MailboxName.of("Archive"))) {
                        Mailbox box = account.open(name);
                        open.add(box);
                        for (int m = 0; m < MESSAGES; m++) {
                            box.append(MaildirMailStoreTest.msg("m" + m));
                        }
                        MailboxView view = box.openView(ViewMode.READ_WRITE);
                        open.add(view);
                        view.sync();
                        for (long uid = 1; uid <= MESSAGES; uid++) {
                            assertThat(box.structure(uid)).isPresent(); // parsed, then written to mailkit-cache
                        }
                    }
                }
                int mailboxes = 2 * ACCOUNTS;
                List<String> held = descriptorsUnder(data);
                assertThat(held).as("files of the store held open with %d mailboxes selected", mailboxes)
                        .allMatch(p -> p.endsWith(MaildirMailStore.LOCK_FILE)).hasSizeLessThanOrEqualTo(1);
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) {
                    try {
                        open.get(i).close();
                    } catch (Exception ignored) {
                        // closing the rest
                    }
                }
            }
            // the structures written while loaded are read back through the cache (its records are intact)
            try (Mailbox inbox = store.account(MailAddress.parse("user7@example.com")).open(MailboxName.INBOX)) {
                assertThat(inbox.structure(MESSAGES).orElseThrow().envelope().subject()).isEqualTo("m" + (MESSAGES - 1));
            }
        }
        assertThat(descriptorsUnder(data)).isEmpty();
    }

    /** The targets of this process's open descriptors that lie under {@code dir}. */
    static List<String> descriptorsUnder(Path dir) throws IOException {
        String prefix = dir.toRealPath().toString();
        List<String> found = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(prefix)) {
                        found.add(target);
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own descriptor)
                }
            }
        }
        return found;
    }
}
