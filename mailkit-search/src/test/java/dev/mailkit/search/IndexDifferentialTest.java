package dev.mailkit.search;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index against the scan: the same IMAP server code over the same store, once with the index and once without,
 * must answer every UID SEARCH TEXT and BODY over a generated corpus of tricky MIME identically: after the first
 * build, after appends and expunges, for a mailbox re-created with another UIDVALIDITY, after the index
 * directory was deleted, and after its files were damaged.
 */
class IndexDifferentialTest {
    static final AccountId RCPT = AccountId.parse("rcpt@local.test");
    static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user("rcpt@local.test", "pw").build();

    @TempDir
    Path tmp;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private MemoryMailStore store;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private ImapServer imap(LuceneSearchIndex index) {
        ImapServer.Builder b = ImapServer.builder().store(store).users(USERS).requireTlsForLogin(false);
        if (index != null) {
            b.searchIndex(index);
        }
        ImapServer s = b.build().start();
        closing.add(0, s);
        return s;
    }

    private LuceneSearchIndex index(Path dir) {
        LuceneSearchIndex i = LuceneSearchIndex.builder().directory(dir).threads(2).build();
        closing.add(0, i);
        return i;
    }

    /** An IMAP session with the mailbox selected. */
    private static RawClient session(ImapServer s, String mailbox) throws IOException {
        RawClient c = new RawClient(s.port());
        c.readLine();
        c.send("a LOGIN rcpt@local.test pw\r\n");
        until(c, "a ");
        c.send("b SELECT " + mailbox + "\r\n");
        until(c, "b ");
        return c;
    }

    private static List<String> until(RawClient c, String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        String l;
        do {
            l = c.readLine();
            lines.add(l);
        } while (l != null && !l.startsWith(tag));
        return lines;
    }

    private static List<String> search(RawClient c, String key, String needle) throws IOException {
        byte[] b = needle.getBytes(StandardCharsets.UTF_8);
        c.sendBytes(("s UID SEARCH CHARSET UTF-8 " + key + " {" + b.length + "+}\r\n").getBytes(
                StandardCharsets.US_ASCII));
        c.sendBytes(b);
        c.send("\r\n");
        return until(c, "s ");
    }

    private void fill(String mailbox, Corpus corpus, int from, int count) {
        MailAccount a = store.account(RCPT);
        MailboxName name = MailboxName.of(mailbox);
        if (!a.exists(name)) {
            a.create(name);
        }
        try (Mailbox m = a.open(name)) {
            for (int i = from; i < from + count; i++) {
                try (MessageSource s = MessageSource.of(corpus.message(i))) {
                    m.append(s);
                }
            }
        }
    }

    /** Compares every needle; returns how many searches matched something (so the test cannot pass vacuously). */
    private int compare(ImapServer scan, ImapServer indexed, String mailbox, List<String> needles) throws IOException {
        int hits = 0;
        try (RawClient a = session(scan, mailbox); RawClient b = session(indexed, mailbox)) {
            for (String n : needles) {
                for (String key : List.of("TEXT", "BODY")) {
                    List<String> expected = search(a, key, n);
                    List<String> got = search(b, key, n);
                    assertThat(got).as("%s %s", key, n).isEqualTo(expected);
                    if (!expected.get(0).equals("* SEARCH")) {
                        hits++;
                    }
                }
            }
        }
        return hits;
    }

    @Test
    void theIndexAnswersExactlyAsTheScanThroughAppendsExpungesRecreationAndLoss() throws Exception {
        store = MemoryMailStore.create();
        closing.add(store);
        Corpus corpus = new Corpus(7);
        fill("INBOX", corpus, 0, 150);
        ImapServer scan = imap(null);
        Path dir = tmp.resolve("index");
        LuceneSearchIndex index = index(dir);
        ImapServer indexed = imap(index);
        List<String> needles = corpus.needles(60);
        int hits = compare(scan, indexed, "INBOX", needles);
        assertThat(hits).isGreaterThan(45);
        try (Mailbox inbox = store.account(RCPT).open(MailboxName.INBOX)) {
            // the index answers (rather than leaving every search to the scan) for the strings it can look up
            assertThat(index.search(RCPT, inbox, "invoice", false)).isPresent();
            assertThat(index.search(RCPT, inbox, "\uFFFF", false)).isEmpty();
        }

        // appends and expunges after the index was built
        fill("INBOX", corpus, 150, 40);
        try (Mailbox inbox = store.account(RCPT).open(MailboxName.INBOX);
             MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
            v.store(UidSet.range(10, 60), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
            v.expunge();
        }
        compare(scan, indexed, "INBOX", needles.subList(0, 25));

        // a mailbox deleted and created again under its name (another UIDVALIDITY), with other messages
        fill("Work", corpus, 1000, 50);
        compare(scan, indexed, "Work", needles.subList(0, 25));
        store.account(RCPT).delete(MailboxName.of("Work"));
        fill("Work", new Corpus(99), 0, 30);
        compare(scan, indexed, "Work", needles.subList(0, 25));

        // the index directory lost: a new index over an empty directory builds itself again
        closing.remove(indexed);
        indexed.close();
        closing.remove(index);
        index.close();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        LuceneSearchIndex second = index(dir);
        ImapServer rebuilt = imap(second);
        compare(scan, rebuilt, "INBOX", needles.subList(0, 25));

        // the index directory damaged (every file overwritten with junk): it is built again, and answers alike
        closing.remove(rebuilt);
        rebuilt.close();
        closing.remove(second);
        second.close();
        int damaged = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.write(p, "not a lucene file".getBytes(StandardCharsets.US_ASCII));
                damaged++;
            }
        }
        assertThat(damaged).isGreaterThan(0);
        LuceneSearchIndex third = index(dir);
        compare(scan, imap(third), "INBOX", needles.subList(0, 25));
        try (Mailbox inbox = store.account(RCPT).open(MailboxName.INBOX)) {
            assertThat(third.search(RCPT, inbox, "invoice", false)).isPresent();
        }
    }
}
