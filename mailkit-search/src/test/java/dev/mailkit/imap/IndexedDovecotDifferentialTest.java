package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.search.LuceneSearchIndex;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mailkit-imap's Dovecot differential suite ({@link DovecotDifferentialTest}: the same commands to Dovecot's
 * {@code imap} and to mailkit over copies of one Maildir) with mailkit's SEARCH BODY/TEXT answered by a
 * {@link LuceneSearchIndex}, and more BODY/TEXT searches: before any change, after STORE, EXPUNGE, COPY and
 * APPEND (which the index must have caught up with), each compared with Dovecot and with mailkit without the index.
 * In package {@code dev.mailkit.imap} to reuse the suite's corpus and helpers.
 */
class IndexedDovecotDifferentialTest {
    /** Searches the index answers, with what Dovecot (and the scan) find. */
    static final List<String> TEXT_SEARCHES = List.of(
            "SEARCH BODY needle-word", "SEARCH TEXT joe", "SEARCH CHARSET UTF-8 BODY {7+}\r\nmünchen",
            "SEARCH TEXT lunch", "SEARCH BODY the", "SEARCH TEXT Subject", "SEARCH NOT BODY the",
            "SEARCH OR BODY needle TEXT ann", "SEARCH TEXT example", "SEARCH BODY hello", "SEARCH TEXT appended",
            "SEARCH BODY ATTACHED", "SEARCH TEXT \"doe, john\"", "UID SEARCH TEXT e", "SEARCH BODY zz-nowhere-zz");

    /** The suite's commands with the text searches at the start and again after the APPEND. */
    static final List<String> COMMANDS = commands();

    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    static List<String> commands() {
        List<String> out = new ArrayList<>(TEXT_SEARCHES);
        for (String c : DovecotDifferentialTest.COMMANDS) {
            out.add(c);
            if (c.equals("SEARCH SUBJECT appended")) {
                out.addAll(TEXT_SEARCHES);
            }
        }
        return out;
    }

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = DovecotDifferentialTest.corpus(dir).build();
        dovecot = fx.dovecot(COMMANDS);
    }

    /** mailkit over its copy of the Maildir, with or without the index. */
    static List<String> mailkit(String variant, boolean withIndex) throws Exception {
        try (MaildirMailStore store = fx.maildirCopy(variant);
             LuceneSearchIndex index = LuceneSearchIndex.builder().directory(dir.resolve(variant + "-index"))
                     .threads(2).build()) {
            ImapServer.Builder b = DovecotFixture.server(store);
            if (withIndex) {
                b.searchIndex(index);
            }
            List<String> answers = fx.mailkit(b, COMMANDS);
            // the index answered (the searches were not all left to the scan)
            try (Mailbox inbox = store.account(DovecotFixture.JOE).open(MailboxName.INBOX)) {
                assertThat(index.search(DovecotFixture.JOE, inbox, "the", true)).isPresent();
            }
            return answers;
        }
    }

    @Test
    void withTheIndexMailkitAnswersLikeDovecotAndLikeItsOwnScan() throws Exception {
        List<String> indexed = mailkit("indexed", true);
        DovecotFixture.compare("indexed", dovecot, indexed);
        DovecotFixture.compare("scan", indexed, mailkit("scan", false));
        // the searches found something (the comparison is not between empty answers)
        long found = dovecot.stream().filter(l -> l.matches("\\* SEARCH \\d.*")).count();
        assertThat(found).isGreaterThan(20);
    }
}
