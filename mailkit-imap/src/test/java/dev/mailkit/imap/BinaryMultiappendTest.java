package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.QuotaLimits;
import dev.mailkit.store.QuotaPolicy;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BINARY (RFC 3516) and MULTIAPPEND (RFC 3502) over a real socket, by hand and with Python's imaplib: decoded parts as
 * literal8, UNKNOWN-CTE, APPEND of a literal8 holding NULs, and a MULTIAPPEND that fails half-way leaving nothing
 * behind. Dovecot's answers to the same are compared in {@link DovecotDepthDifferentialTest}.
 */
class BinaryMultiappendTest {
    static final String MIXED = "From: a@example.com\r\nSubject: bin\r\nContent-Type: multipart/mixed; boundary=b\r\n"
            + "\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "AGhp/w==\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"
            + "begin 644 f\r\nend\r\n--b--\r\n";

    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @TempDir
    Path dir;

    void start(QuotaLimits quota) {
        MemoryMailStore.Builder b = MemoryMailStore.builder().standardMailboxes();
        if (quota != null) {
            b.quota(QuotaPolicy.of(quota));
        }
        store = b.build();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.of(MIXED.getBytes()), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
        }
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
            store.close();
        }
    }

    RawImap selected() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        assertThat(c.tagged("SELECT INBOX")).startsWith("OK [READ-WRITE]");
        return c;
    }

    @Test
    void binaryDecodesAsLiteral8AndRefusesUnknownEncodings() throws Exception {
        start(null);
        try (RawImap c = selected()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" BINARY ", " MULTIAPPEND ");
            // base64 "AGhp/w==" is 00 'h' 'i' FF: a literal8, and BINARY.SIZE the decoded size
            // base64 "AGhp/w==" is 00 'h' 'i' FF: a literal8 (the client reads it as UTF-8 here)
            assertThat(c.command("FETCH 1 (BINARY.PEEK[1])")).containsExactly(
                    "* 1 FETCH (BINARY[1] ~{4}", "\0hi\ufffd)", "t4 OK Fetch completed");
            assertThat(c.command("FETCH 1 (BINARY.PEEK[1]<1.2>)")).containsExactly(
                    "* 1 FETCH (BINARY[1]<1> ~{2}", "hi)", "t5 OK Fetch completed");
            // x-uuencode cannot be undone: NO [UNKNOWN-CTE], the response closed with the UID; BINARY.SIZE of any
            // part measures the whole message, so it fails too (as Dovecot)
            assertThat(c.command("FETCH 1 (BINARY.PEEK[2])")).containsExactly("* 1 FETCH (UID 1)",
                    "t6 NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding");
            assertThat(c.command("FETCH 1 (FLAGS BINARY.SIZE[1])")).containsExactly(
                    "* 1 FETCH (FLAGS (\\Recent))", "t7 NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding");
            assertThat(c.command("FETCH 1 BODY.PEEK[2]")).containsExactly("* 1 FETCH (BODY[2] {16}",
                    "begin 644 f", "end)", "t8 OK Fetch completed");
            // APPEND of a literal8 with NULs: stored as it is, served back as a literal8
            assertThat(c.tagged("APPEND INBOX ~{13+}\r\nSubject: \0\0\r\n")).startsWith("OK [APPENDUID ");
            assertThat(c.command("FETCH 2 (BINARY.PEEK[] RFC822.SIZE)")).containsExactly(
                    "* 2 FETCH (BINARY[] ~{13}", "Subject: \0\0", " RFC822.SIZE 13)", "t10 OK Fetch completed");
            // BINARY sections take part numbers only
            assertThat(c.tagged("FETCH 1 BINARY[1.HEADER]")).startsWith("BAD");
        }
    }

    @Test
    void multiappendStoresAllOrNothing() throws Exception {
        start(QuotaLimits.ofBytes(1024)); // 1 KiB: the first messages fit, the third does not
        String small = "Subject: s\r\n\r\n" + "x".repeat(284) + "\r\n"; // 300 octets
        String big = "Subject: b\r\n\r\n" + "y".repeat(684) + "\r\n"; // 700 octets
        try (RawImap c = selected()) {
            List<String> failed = c.command("APPEND INBOX (\\Seen) {300+}\r\n" + small + " {300+}\r\n" + small
                    + " {700+}\r\n" + big);
            assertThat(failed.get(failed.size() - 1)).startsWith("t3 NO [OVERQUOTA]");
            assertThat(c.command("NOOP")).last().asString().startsWith("t4 OK");
            assertThat(c.command("STATUS INBOX (MESSAGES)")).contains("* STATUS INBOX (MESSAGES 1)");
            try (Mailbox inbox = account.open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
            }
            // a zero-length message among them: nothing is stored either
            assertThat(c.tagged("APPEND INBOX {10+}\r\nSubject: a {0+}\r\n")).startsWith("NO");
            List<String> ok = c.command("APPEND INBOX (\\Seen) {300+}\r\n" + small
                    + " (\\Flagged) \"11-Jan-2024 10:00:00 +0000\" ~{300+}\r\n" + small);
            assertThat(ok).contains("* 3 EXISTS");
            assertThat(ok.get(ok.size() - 1)).matches("t7 OK \\[APPENDUID \\d+ 4:5] Append completed"); // 2:3 went with the rollback
            assertThat(c.command("FETCH 2:3 (FLAGS INTERNALDATE)")).containsExactly(
                    "* 2 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE \"" + internalDate(c, 2) + "\")",
                    "* 3 FETCH (FLAGS (\\Flagged \\Recent) INTERNALDATE \"11-Jan-2024 10:00:00 +0000\")",
                    "t8 OK Fetch completed");
        }
    }

    private static String internalDate(RawImap c, int seq) throws Exception {
        String l = c.command("FETCH " + seq + " INTERNALDATE").get(0);
        return l.substring(l.indexOf('"') + 1, l.lastIndexOf('"'));
    }

    /** Python's imaplib: BINARY items come back decoded; a MULTIAPPEND sent through its literal support. */
    @Test
    void pythonImaplibFetchesBinaryAndMultiappends() throws Exception {
        start(null);
        Path file = dir.resolve("client.py");
        Files.writeString(file, String.join("\n",
                "import imaplib, sys",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "c.login('joe@example.com', 'secret')",
                "c.select('INBOX')",
                "typ, data = c.fetch('1', '(BINARY.PEEK[1])')",
                "print('binary', typ, data[0][1])",
                "print('size', c.fetch('1', '(BINARY.SIZE[1])'))",
                "print('cte', c.fetch('1', '(BINARY.PEEK[2])')[0])",
                // the first messages ride in the flags argument as LITERAL+, the last is imaplib's own literal
                "c.literal = b'Subject: two\\r\\n\\r\\n2\\r\\n'",
                "print('multi', c._simple_command('APPEND', 'INBOX', '(\\\\Seen) {19+}\\r\\nSubject: one\\r\\n\\r\\n1\\r\\n',"
                        + " '(\\\\Flagged)'))",
                "print('fetch', c.fetch('2:3', '(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])'))",
                "c.logout()", ""));
        String out = ExternalTool.run(List.of(ExternalTool.python().toString(), file.toString(),
                Integer.toString(server.port())), null, Duration.ofSeconds(60)).assertSuccess().stdout;
        assertThat(out).contains("binary OK b'\\x00hi\\xff'", "size ('NO', [b'[UNKNOWN-CTE]", "cte NO");
        assertThat(out).containsPattern("multi \\('OK', \\[b'\\[APPENDUID \\d+ 2:3\\] Append completed'\\]\\)");
        assertThat(out).contains("(FLAGS (\\\\Seen \\\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {16}', b'Subject: one",
                "(FLAGS (\\\\Flagged \\\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {16}', b'Subject: two");
    }
}
