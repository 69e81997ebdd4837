package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ProtocolFuzzer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random command lines (IMAP words mixed with brackets, quotes, literals, NUL, bare CR/LF, long tokens and
 * UTF-8), before and after login, in a selected mailbox with messages (IMAP4rev1, and IMAP4rev2 enabled): the
 * server must never drop a connection without "* BYE" (it answers what it does not understand with BAD or NO), no
 * session may be left open, and the server must serve a well-behaved client normally afterwards.
 */
class ImapFuzzTest {
    static final List<String> WORDS = List.of("CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "AUTHENTICATE", "LOGIN",
            "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB", "STATUS",
            "APPEND", "CHECK", "CLOSE", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "UID", "IDLE", "DONE",
            "NAMESPACE", "ENABLE", "ID", "UNSELECT", "GETQUOTA", "GETQUOTAROOT", "ESEARCH", "CONDSTORE", "INBOX",
            "1", "1:*", "*", "2,3", "(FLAGS)", "(UID RFC822.SIZE)", "BODY[]", "BODY.PEEK[HEADER.FIELDS (Subject)]",
            "BODYSTRUCTURE", "ENVELOPE", "+FLAGS", "(\\Seen)", "\\Deleted", "ALL", "SUBJECT", "TEXT", "OR", "NOT",
            "CHARSET", "UTF-8", "RETURN", "(MIN MAX)", "(CHANGEDSINCE 1)", "MODSEQ", "\"\"", "\"%\"", "Archive",
            "joe@example.com", "secret", "PLAIN", "IMAP4rev2", "RECENT", "NEW", "(MESSAGES RECENT)", "\"Entwürfe\"");

    @Test
    void randomCommandsNeverBreakTheServer() throws Exception {
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
            for (int i = 0; i < 5; i++) {
                inbox.append(MessageSource.of(("Subject: m" + i + "\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                        + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi " + i + "\r\n--b--\r\n")
                        .getBytes(StandardCharsets.UTF_8)), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
            }
        }
        List<String> problems = new ArrayList<>();
        try (ImapServer server = ImapServerTest.plain().store(store).build().start()) {
            for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 60); seed++) {
                ProtocolFuzzer f = new ProtocolFuzzer(seed, WORDS);
                List<String> preamble = seed % 4 == 0 ? List.of()
                        : seed % 4 == 1 ? List.of("a LOGIN joe@example.com secret")
                        : seed % 4 == 2 ? List.of("a LOGIN joe@example.com secret", "b SELECT INBOX")
                        : List.of("a LOGIN joe@example.com secret", "c ENABLE IMAP4rev2", "b SELECT INBOX");
                ProtocolFuzzer.Session s = f.session(server.port(), preamble, 25, i -> "t" + i + " ", "zz LOGOUT",
                        l -> l.startsWith("* BYE"), Duration.ofSeconds(2));
                if (s.droppedWithoutGoodbye) {
                    problems.add("seed " + seed + ": connection dropped without BYE after " + tail(s.received));
                }
                if (s.received.isEmpty() || !s.received.get(0).startsWith("* OK")) {
                    problems.add("seed " + seed + ": no greeting");
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.connectionCount()).as("sessions left open").isZero();
            try (RawImap c = new RawImap(server.port())) {
                c.greeting();
                assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
                assertThat(c.command("SELECT INBOX")).anyMatch(l -> l.contains("EXISTS"));
                assertThat(c.tagged("NOOP")).startsWith("OK");
            }
        }
        assertThat(problems).isEmpty();
    }

    static String tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 3), lines.size()).stream().map(ImapFuzzTest::abbreviate)
                .toList().toString();
    }

    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
