package dev.mailkit.imap;

import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267) over real sockets: a client that keeps its copy of a result only from
 * the ADDTO/REMOVEFROM updates (and EXPUNGE for sequence numbers) ends up with what a fresh SEARCH or SORT says,
 * through a random run of another session's appends, flag changes and expunges; updates arrive during IDLE; PARTIAL;
 * the errors. Dovecot's answers are compared in {@link DovecotContextDifferentialTest}.
 */
class ContextSearchTest {
    static final String[] SUBJECTS = {"delta", "alpha", "Re: charlie", "bravo", "echo", "alpha", "Fwd: bravo"};
    static final Pattern ESEARCH = Pattern.compile("^\\* ESEARCH \\(TAG \"([^\"]+)\"\\)( UID)?(.*)$");

    MemoryMailStore store;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap selected() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        assertThat(c.tagged("SELECT INBOX")).startsWith("OK [READ-WRITE]");
        return c;
    }

    static String append(String subject) {
        String m = "From: a@example.com\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        return "APPEND INBOX {" + m.length() + "+}\r\n" + m;
    }

    @Test
    void copiesKeptByUpdatesEqualFreshResults() throws Exception {
        try (RawImap a = selected(); RawImap b = selected()) {
            assertThat(a.command("CAPABILITY").get(0)).contains(" CONTEXT=SEARCH ", " CONTEXT=SORT ", " ESORT ");
            for (int i = 0; i < 6; i++) {
                assertThat(b.tagged(append(SUBJECTS[i % SUBJECTS.length]))).startsWith("OK");
            }
            a.tagged("NOOP");
            String sortKeys = "(SUBJECT REVERSE DATE) UTF-8 UNDELETED";
            a.send("sort UID SORT RETURN (UPDATE ALL) " + sortKeys + "\r\n");
            List<Long> sorted = all(a.until("sort"), "sort");
            a.send("search SEARCH RETURN (UPDATE ALL) UNSEEN\r\n");
            List<Long> seqs = all(a.until("search"), "search");
            assertThat(sorted).hasSize(6);
            assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            Random random = new Random(5267);
            int updates = 0;
            for (int step = 0; step < 40; step++) {
                String change = switch (random.nextInt(5)) {
                    case 0 -> append(SUBJECTS[random.nextInt(SUBJECTS.length)]);
                    case 1 -> "STORE " + (1 + random.nextInt(count(b))) + " +FLAGS (\\Deleted)";
                    case 2 -> "STORE 1:* -FLAGS (\\Deleted)";
                    case 3 -> "STORE " + (1 + random.nextInt(count(b))) + " FLAGS (\\Seen)";
                    default -> "EXPUNGE";
                };
                assertThat(b.tagged(change)).startsWith("OK");
                // the changes reach A with its next command, the updates among them
                for (String l : a.command(step % 2 == 0 ? "NOOP" : "STORE 1 +FLAGS (\\Answered)")) {
                    updates += apply(l, "sort", sorted, true) + apply(l, "search", seqs, false);
                    expunge(l, seqs);
                }
                assertThat(sorted).as("step %d: %s", step, change)
                        .isEqualTo(all(a.command("UID SORT RETURN (ALL) " + sortKeys), null));
                assertThat(seqs).as("step %d: %s", step, change).isEqualTo(
                        all(a.command("SEARCH RETURN (ALL) UNSEEN"), null));
            }
            assertThat(updates).as("updates seen").isGreaterThan(10);
            // after CANCELUPDATE nothing more
            assertThat(a.tagged("CANCELUPDATE \"sort\" \"search\"")).startsWith("OK");
            assertThat(b.tagged(append("zulu"))).startsWith("OK");
            assertThat(a.command("NOOP")).noneMatch(l -> l.startsWith("* ESEARCH"));
        }
    }

    @Test
    void ownChangesAndIdleBringUpdates() throws Exception {
        try (RawImap a = selected(); RawImap b = selected()) {
            for (int i = 0; i < 3; i++) {
                b.tagged(append(SUBJECTS[i]));
            }
            a.tagged("NOOP");
            a.send("u UID SEARCH RETURN (UPDATE) FLAGGED\r\n");
            assertThat(a.until("u")).containsExactly("* ESEARCH (TAG \"u\") UID", "u OK Search completed");
            assertThat(a.command("UID STORE 2 +FLAGS (\\Flagged)")).contains("* ESEARCH (TAG \"u\") UID ADDTO (0 2)");
            a.send("i IDLE\r\n");
            assertThat(a.line()).startsWith("+ ");
            b.tagged("STORE 3 +FLAGS (\\Flagged)");
            List<String> seen = new ArrayList<>();
            String l;
            while (!(l = a.line()).startsWith("* ESEARCH")) { // the socket's read timeout bounds the wait
                seen.add(l);
            }
            assertThat(l).isEqualTo("* ESEARCH (TAG \"u\") UID ADDTO (0 3)");
            b.tagged("STORE 1:3 +FLAGS.SILENT (\\Deleted)");
            b.tagged("EXPUNGE");
            // the idler may wake in the middle of the other session's expunge: the removals can come in one update
            // or in several, but together they must be exactly UIDs 2 and 3, and nothing may be added
            java.util.Set<Long> removed = new java.util.TreeSet<>();
            while (removed.size() < 2) {
                l = a.line();
                if (!l.startsWith("* ESEARCH")) {
                    seen.add(l);
                    continue;
                }
                assertThat(l).startsWith("* ESEARCH (TAG \"u\") UID REMOVEFROM (0 ");
                for (String range : l.substring(l.indexOf("(0 ") + 3, l.length() - 1).split(",")) {
                    String[] ends = range.split(":");
                    long from = Long.parseLong(ends[0]);
                    long to = Long.parseLong(ends[ends.length - 1]);
                    for (long u = Math.min(from, to); u <= Math.max(from, to); u++) {
                        assertThat(removed.add(u)).as("UID %d removed once, in %s", u, l).isTrue();
                    }
                }
            }
            assertThat(removed).containsExactly(2L, 3L);
            a.send("DONE\r\n");
            assertThat(a.until("i")).last().asString().startsWith("i OK");
            // a new selection starts without updates
            assertThat(a.tagged("SELECT INBOX")).startsWith("OK");
            assertThat(a.tagged("CANCELUPDATE \"u\"")).startsWith("NO");
        }
    }

    @Test
    void partialSelectsPositionsOfTheOrderedResult() throws Exception {
        try (RawImap a = selected()) {
            for (String s : new String[] {"c", "a", "d", "b"}) {
                a.tagged(append(s));
            }
            assertThat(a.command("UID SORT RETURN (PARTIAL 2:3 COUNT) (SUBJECT) UTF-8 ALL").get(0))
                    .endsWith(" UID PARTIAL (2:3 4,1) COUNT 4");
            assertThat(a.command("SEARCH RETURN (PARTIAL 4:2 MIN) ALL").get(0)).endsWith(") MIN 1 PARTIAL (2:4 2:4)");
            assertThat(a.command("SEARCH RETURN (PARTIAL 5:9) ALL").get(0)).endsWith(") PARTIAL (5:9 NIL)");
        }
    }

    @Test
    void badRequestsAreRefusedAndExplained() throws Exception {
        try (RawImap a = selected()) {
            a.tagged(append("x"));
            assertThat(a.tagged("SEARCH RETURN (PARTIAL 0:3) ALL")).startsWith("BAD").contains("PARTIAL range");
            assertThat(a.tagged("SEARCH RETURN (PARTIAL 1:2 ALL) ALL")).startsWith("BAD").contains("ALL");
            assertThat(a.tagged("SEARCH RETURN (PARTIAL 1) ALL")).startsWith("BAD");
            assertThat(a.tagged("SEARCH RETURN (PARTIAL 1:4294967296) ALL")).startsWith("BAD");
            assertThat(a.tagged("SEARCH RETURN (PARTIAL 1:2 PARTIAL 3:4) ALL")).startsWith("BAD").contains("once");
            assertThat(a.tagged("SORT RETURN (UPDATES) (ARRIVAL) UTF-8 ALL")).startsWith("BAD");
            assertThat(a.tagged("CANCELUPDATE \"nothing\"")).startsWith("NO").contains("Unknown tag");
            assertThat(a.tagged("CANCELUPDATE atom")).startsWith("BAD");
            assertThat(a.tagged("CANCELUPDATE")).startsWith("BAD");
            a.send("dup UID SEARCH RETURN (UPDATE) ALL\r\n");
            assertThat(a.until("dup")).last().asString().startsWith("dup OK");
            a.send("dup UID SEARCH RETURN (UPDATE) ALL\r\n");
            assertThat(a.until("dup")).containsExactly(
                    "dup BAD Duplicate search update tag: use another tag or CANCELUPDATE it");
            for (int i = 0; i < 9; i++) {
                assertThat(a.command("UID SEARCH RETURN (UPDATE COUNT) ALL")).hasSize(2);
            }
            // the eleventh: answered, not kept
            List<String> r = a.command("UID SEARCH RETURN (UPDATE COUNT) ALL");
            assertThat(r.get(0)).startsWith("* NO [NOUPDATE \"t").contains("CANCELUPDATE");
            assertThat(r.get(1)).endsWith("UID COUNT 1");
            assertThat(a.tagged("UNSELECT")).startsWith("OK");
            assertThat(a.tagged("CANCELUPDATE \"dup\"")).startsWith("BAD").contains("No mailbox selected");
        }
    }

    /** The messages a session has (from a fresh SEARCH ALL). */
    static int count(RawImap c) throws Exception {
        return all(c.command("SEARCH RETURN (ALL) ALL"), null).size();
    }

    /** The numbers of an ESEARCH ALL (of the tag, if given) in the given order. */
    static List<Long> all(List<String> lines, String tag) {
        for (String l : lines) {
            Matcher m = ESEARCH.matcher(l);
            if (m.matches() && (tag == null || m.group(1).equals(tag))) {
                Matcher all = Pattern.compile(" ALL (\\S+)").matcher(m.group(3));
                return all.find() ? expand(all.group(1)) : new ArrayList<>();
            }
        }
        throw new AssertionError("no ESEARCH in " + lines);
    }

    static List<Long> expand(String set) {
        List<Long> out = new ArrayList<>();
        for (String part : set.split(",")) {
            String[] ends = part.split(":");
            long first = Long.parseLong(ends[0]);
            long last = Long.parseLong(ends[ends.length - 1]);
            for (long v = first; v <= last; v++) {
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Applies an update line of the tag to the copy: sorted results at the positions given (checking that a
     * removed message is where the server says), unsorted ones (position 0) kept ascending. Returns 1 if it was one.
     */
    static int apply(String line, String tag, List<Long> copy, boolean sorted) {
        Matcher m = ESEARCH.matcher(line);
        if (!m.matches() || !m.group(1).equals(tag)) {
            return 0;
        }
        Matcher op = Pattern.compile("(REMOVEFROM|ADDTO) \\(([^)]*)\\)").matcher(m.group(3));
        while (op.find()) {
            String[] w = op.group(2).split(" ");
            for (int i = 0; i < w.length; i += 2) {
                int pos = Integer.parseInt(w[i]);
                assertThat(pos == 0).as("position in " + line).isEqualTo(!sorted);
                for (long id : expand(w[i + 1])) {
                    if (op.group(1).equals("REMOVEFROM")) {
                        if (sorted) {
                            assertThat(copy.get(pos - 1)).as(line).isEqualTo(id);
                        }
                        copy.remove(id);
                    } else if (sorted) {
                        copy.add(pos++ - 1, id);
                    } else {
                        copy.add(id);
                        copy.sort(null);
                    }
                }
            }
        }
        return 1;
    }

    /** {@code * n EXPUNGE}: the sequence numbers above n move down. */
    static void expunge(String line, List<Long> seqs) {
        Matcher m = Pattern.compile("^\\* (\\d+) EXPUNGE$").matcher(line);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            seqs.remove(n);
            seqs.replaceAll(v -> v > n ? v - 1 : v);
        }
    }
}
