package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several CONDSTORE sessions appending, storing, expunging and fetching on one mailbox at once (issue 16): each
 * checks that the MODSEQ it is told for a message never goes backwards, that HIGHESTMODSEQ never does, and that the
 * state it built from the untagged responses it got is the mailbox's state at the end, on which all sessions
 * agree. Runs briefly here; {@code bench/imap-stress.sh} runs it long ({@code -Dmailkit.stress.ops=N}).
 */
class ModSeqStressTest {
    static final int SESSIONS = 4;
    static final int OPS = Integer.getInteger("mailkit.stress.ops", 150);
    static final Pattern FETCH = Pattern.compile("^\\* (\\d+) FETCH \\((.*)\\)$");
    static final Pattern UID = Pattern.compile("UID (\\d+)");
    static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
    static final Pattern MODSEQ = Pattern.compile("MODSEQ \\((\\d+)\\)");
    static final Pattern HIGHEST = Pattern.compile("\\[HIGHESTMODSEQ (\\d+)]");
    static final String[] FLAG_NAMES = {"\\Flagged", "\\Answered", "\\Seen", "$Label1", "$Label2"};

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"memory", "maildir"})
    void sessionsNeverSeeModSeqGoBackwardsAndAgreeOnTheFinalState(String kind) throws Exception {
        try (MailStore store = kind.equals("memory") ? MemoryMailStore.create()
                : MaildirMailStore.builder(tmp).fsync(false).build()) {
            try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
                for (int i = 0; i < 20; i++) {
                    inbox.append(MessageSource.ofText("Subject: start " + i + "\n\nbody\n"));
                }
            }
            try (ImapServer server = ImapServerTest.plain().store(store).build().start()) {
                List<Session> sessions = new ArrayList<>();
                for (int i = 0; i < SESSIONS; i++) {
                    sessions.add(new Session(server.port(), i));
                }
                ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
                try {
                    List<Future<?>> runs = new ArrayList<>();
                    for (Session s : sessions) {
                        runs.add(pool.submit(() -> {
                            s.run(OPS);
                            return null;
                        }));
                    }
                    for (Future<?> f : runs) {
                        f.get(5, TimeUnit.MINUTES);
                    }
                } finally {
                    pool.shutdownNow();
                }
                Map<Long, String> first = null;
                for (Session s : sessions) {
                    Map<Long, String> fin = s.finish();
                    assertThat(s.violations).as("session " + s.id).isEmpty();
                    if (first == null) {
                        first = fin;
                    } else {
                        assertThat(fin).as("session " + s.id + " against session 0").isEqualTo(first);
                    }
                    s.c.close();
                }
                assertThat(first).isNotEmpty();
            }
        }
    }

    /** One client: its model of the mailbox from the responses it got, and what it found wrong. */
    static final class Session {
        final int id;
        final RawImap c;
        final Random random;
        /** UIDs by sequence number (0: told EXISTS, UID not known yet). */
        final List<Long> seqs = new ArrayList<>();
        final Map<Long, String> flags = new TreeMap<>();
        final Map<Long, Long> modseqs = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        long highest;

        Session(int port, int id) throws Exception {
            this.id = id;
            this.random = new Random(1000 + id);
            this.c = new RawImap(port);
            c.greeting();
            c.tagged("LOGIN joe@example.com secret");
            apply(c.command("ENABLE CONDSTORE"));
            apply(c.command("SELECT INBOX (CONDSTORE)"));
            apply(c.command("UID FETCH 1:* (FLAGS MODSEQ)"));
        }

        void run(int ops) throws Exception {
            for (int i = 0; i < ops; i++) {
                int r = random.nextInt(100);
                String flag = FLAG_NAMES[random.nextInt(FLAG_NAMES.length)];
                long uid = pickUid();
                String cmd;
                if (r < 10) {
                    String body = "Subject: s" + id + " op " + i + "\r\n\r\nhello\r\n";
                    cmd = "APPEND INBOX (" + flag + ") {" + body.length() + "+}\r\n" + body;
                } else if (r < 45) {
                    cmd = "UID STORE " + uid + ":" + (uid + 3) + (random.nextBoolean() ? " +" : " -") + "FLAGS ("
                            + flag + ")";
                } else if (r < 55) {
                    cmd = "UID STORE " + uid + " FLAGS (" + flag + " $S" + id + ")";
                } else if (r < 60) {
                    cmd = "STORE " + Math.max(1, random.nextInt(Math.max(1, seqs.size())) + 1) + " +FLAGS ("
                            + flag + ")";
                } else if (r < 66) {
                    cmd = "UID STORE " + uid + " +FLAGS (\\Deleted)";
                } else if (r < 70) {
                    cmd = "EXPUNGE";
                } else if (r < 78) {
                    cmd = "FETCH 1:* (UID FLAGS MODSEQ)";
                } else if (r < 90) {
                    cmd = "UID FETCH " + uid + ":* (FLAGS MODSEQ)";
                } else {
                    cmd = "NOOP";
                }
                List<String> lines = c.command(cmd);
                String tagged = lines.get(lines.size() - 1);
                if (!tagged.contains(" OK")) {
                    violations.add(cmd + " -> " + tagged);
                }
                apply(lines);
            }
        }

        long pickUid() {
            long max = 1;
            for (long u : seqs) {
                max = Math.max(max, u);
            }
            return 1 + random.nextInt((int) max);
        }

        /** Syncs, then fetches everything: the model must be the same as the answer. */
        Map<Long, String> finish() throws Exception {
            apply(c.command("NOOP"));
            apply(c.command("FETCH 1:* (UID)")); // learn the UIDs of messages told of by EXISTS only
            Map<Long, String> model = new TreeMap<>();
            for (long u : seqs) {
                model.put(u, flags.get(u));
            }
            Map<Long, String> before = new TreeMap<>(model);
            List<String> lines = c.command("UID FETCH 1:* (FLAGS MODSEQ)");
            Map<Long, String> fresh = new TreeMap<>();
            for (String l : lines) {
                Matcher m = FETCH.matcher(l);
                if (m.matches()) {
                    Matcher u = UID.matcher(m.group(2));
                    Matcher f = FLAGS.matcher(m.group(2));
                    if (u.find() && f.find()) {
                        fresh.put(Long.parseLong(u.group(1)), normal(f.group(1)));
                    }
                }
            }
            apply(lines);
            // messages appended by others are told by EXISTS without flags: only compare what the session knew
            before.entrySet().removeIf(e -> e.getValue() == null);
            for (Map.Entry<Long, String> e : before.entrySet()) {
                if (!e.getValue().equals(fresh.get(e.getKey()))) {
                    violations.add("stale model for UID " + e.getKey() + ": " + e.getValue() + " but now "
                            + fresh.get(e.getKey()));
                }
            }
            assertThat(fresh.keySet()).as("session " + id + " knows the same messages")
                    .containsExactlyElementsOf(model.keySet());
            return fresh;
        }

        void apply(List<String> lines) {
            for (String l : lines) {
                Matcher h = HIGHEST.matcher(l);
                if (l.startsWith("* OK") && h.find()) {
                    long v = Long.parseLong(h.group(1));
                    if (v < highest) {
                        violations.add("HIGHESTMODSEQ went from " + highest + " to " + v);
                    }
                    highest = v;
                }
                if (l.endsWith(" EXISTS")) {
                    int n = Integer.parseInt(l.split(" ")[1]);
                    while (seqs.size() < n) {
                        seqs.add(0L);
                    }
                } else if (l.endsWith(" EXPUNGE")) {
                    int seq = Integer.parseInt(l.split(" ")[1]);
                    long uid = seqs.remove(seq - 1);
                    flags.remove(uid);
                } else {
                    Matcher m = FETCH.matcher(l);
                    if (m.matches()) {
                        fetch(Integer.parseInt(m.group(1)), m.group(2), l);
                    }
                }
            }
        }

        void fetch(int seq, String items, String line) {
            Matcher u = UID.matcher(items);
            long uid;
            if (u.find()) {
                uid = Long.parseLong(u.group(1));
                if (seq <= seqs.size()) {
                    seqs.set(seq - 1, uid);
                }
            } else {
                uid = seq <= seqs.size() ? seqs.get(seq - 1) : 0;
            }
            if (uid == 0) {
                return; // a STORE by sequence number of a message told of by EXISTS only
            }
            Matcher ms = MODSEQ.matcher(items);
            if (ms.find()) {
                long v = Long.parseLong(ms.group(1));
                Long before = modseqs.get(uid);
                if (before != null && v < before) {
                    violations.add("MODSEQ of UID " + uid + " went from " + before + " to " + v + ": " + line);
                }
                modseqs.put(uid, before == null ? v : Math.max(before, v));
            }
            Matcher f = FLAGS.matcher(items);
            if (f.find()) {
                flags.put(uid, normal(f.group(1)));
            }
        }

        static String normal(String flagList) {
            List<String> l = new ArrayList<>(List.of(flagList.trim().isEmpty() ? new String[0]
                    : flagList.trim().split(" ")));
            l.remove("\\Recent");
            l.sort(String.CASE_INSENSITIVE_ORDER);
            return String.join(" ", l);
        }
    }
}
