package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SORT, ESORT and THREAD answers compared with Dovecot's (see {@link DovecotDifferentialTest} for the harness), over
 * a corpus made for them ({@code corpus-thread/}: reply chains with and without References, a missing parent, a
 * duplicate and a looping Message-ID, subjects with Re:/Fwd:/[blob]/(fwd)/[fwd: ] and encoded words, dates in zones,
 * obsolete and broken, addresses with comments, groups and encoded names) and the basic corpus. Internal dates come
 * in pairs, so ARRIVAL has ties.
 */
class DovecotSortThreadDifferentialTest {
    static final List<String> CORPUS = corpus();

    static final List<String> COMMANDS = List.of(
            "SORT (ARRIVAL) UTF-8 ALL", "SORT (REVERSE ARRIVAL) UTF-8 ALL", "SORT (DATE) UTF-8 ALL",
            "SORT (REVERSE DATE) UTF-8 ALL", "SORT (SIZE) UTF-8 ALL", "SORT (REVERSE SIZE) UTF-8 ALL",
            "SORT (SUBJECT) UTF-8 ALL", "SORT (REVERSE SUBJECT) UTF-8 ALL", "SORT (FROM) UTF-8 ALL",
            "SORT (TO) UTF-8 ALL", "SORT (CC) UTF-8 ALL", "SORT (DISPLAYFROM) UTF-8 ALL",
            "SORT (DISPLAYTO) UTF-8 ALL", "SORT (REVERSE DISPLAYFROM) US-ASCII ALL",
            "SORT (SUBJECT DATE) UTF-8 ALL", "SORT (SUBJECT REVERSE DATE) UTF-8 ALL", "SORT (FROM REVERSE SIZE) UTF-8 ALL",
            "SORT (CC FROM SUBJECT ARRIVAL) UTF-8 ALL", "SORT (REVERSE REVERSE SUBJECT) UTF-8 ALL",
            "UID SORT (SUBJECT) UTF-8 ALL", "UID SORT (DATE) UTF-8 UID 3:20", "SORT (FROM) UTF-8 SUBJECT plan",
            "SORT (SUBJECT) UTF-8 OR FROM ann TO ann", "SORT (DATE) UTF-8 NOT ALL",
            "SORT RETURN (MIN MAX COUNT ALL) (SUBJECT) UTF-8 ALL", "SORT RETURN () (REVERSE ARRIVAL) UTF-8 ALL",
            "UID SORT RETURN (COUNT) (DATE) UTF-8 FROM ann", "SORT RETURN (MIN) (SIZE) UTF-8 NOT ALL",
            "SORT RETURN (ALL) (DATE) UTF-8 SUBJECT nothing-matches",
            "SORT (FROB) UTF-8 ALL", "SORT () UTF-8 ALL", "SORT (REVERSE) UTF-8 ALL", "SORT (SUBJECT) UTF-8",
            "SORT SUBJECT UTF-8 ALL", "SORT (SUBJECT) UTF-8 FROB",
            "THREAD ORDEREDSUBJECT UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL", "THREAD REFS UTF-8 ALL",
            "UID THREAD REFERENCES UTF-8 ALL", "THREAD REFERENCES UTF-8 SUBJECT plan",
            "THREAD ORDEREDSUBJECT UTF-8 NOT SUBJECT announce", "THREAD REFS UTF-8 SINCE 5-Jan-2025",
            "THREAD REFERENCES UTF-8 NOT ALL", "THREAD FROB UTF-8 ALL", "THREAD REFERENCES UTF-8");

    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    static List<String> corpus() {
        List<String> l = new ArrayList<>();
        for (int i = 1; i <= 18; i++) {
            l.add("/corpus-thread/t" + (i < 10 ? "0" : "") + i + ".eml");
        }
        for (String[] c : DovecotDifferentialTest.CORPUS) {
            l.add("/corpus/" + c[0]);
        }
        return l;
    }

    /** In pairs an hour apart from 1 February 2025, so ARRIVAL has ties. */
    static Instant date(int i) {
        return Instant.parse("2025-02-01T00:00:00Z").plusSeconds(3600L * (i / 2));
    }

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < CORPUS.size(); i++) {
            b.resource(CORPUS.get(i), "", date(i));
        }
        fx = b.build();
        dovecot = fx.dovecot(COMMANDS);
    }

    @Test
    void theMaildirStoreSortsAndThreadsLikeDovecot() throws Exception {
        try (MailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("sort", dovecot, fx.mailkit(store, COMMANDS));
        }
    }

    @Test
    void theMemoryStoreSortsAndThreadsLikeDovecot() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.create()) {
            fx.fill(store);
            DovecotFixture.compare("sort-memory", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
