package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extensions RFC 9051 folded into IMAP4rev2 (Appendix E), each used by a session that enabled IMAP4rev2:
 * NAMESPACE, UNSELECT, UIDPLUS (APPENDUID, COPYUID for COPY and for MOVE and UID MOVE, UID EXPUNGE), MOVE,
 * COPY/MOVE/APPEND to a missing mailbox refused with {@code [TRYCREATE]} without creating it, the FETCH side of BINARY,
 * LIST-EXTENDED and LIST-STATUS, STATUS SIZE and DELETED, and a LITERAL+ literal (a superset of RFC 9051's LITERAL-).
 * ESEARCH, SEARCHRES, ENABLE and IDLE are in {@link Imap4rev2Test}.
 */
class Imap4rev2ExtensionsTest {
    static final String PLAIN = "From: ann@example.com\r\nSubject: first\r\n\r\nhello\r\n";
    static final String BASE64 = "From: bob@example.com\r\nSubject: att\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + "AAEC/w==\r\n--b--\r\n";

    MemoryMailStore store;
    MailAccount account;
    ImapServer server;
    long inbox;
    long archive;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox m = account.open(MailboxName.INBOX); Mailbox a = account.open(MailboxName.of("Archive"))) {
            m.append(MessageSource.of(PLAIN.getBytes()), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
            m.append(MessageSource.of(BASE64.getBytes()), Flags.NONE, Instant.parse("2024-01-02T10:00:00Z"));
            m.append(MessageSource.of(PLAIN.getBytes()), Flags.NONE, Instant.parse("2024-01-03T10:00:00Z"));
            inbox = m.uidValidity();
            archive = a.uidValidity();
        }
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap rev2() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        assertThat(c.command("ENABLE IMAP4rev2")).containsExactly("* ENABLED IMAP4rev2", "t2 OK Enabled");
        return c;
    }

    @Test
    void namespaceUnselectAndUidplus() throws Exception {
        try (RawImap c = rev2()) {
            assertThat(c.command("NAMESPACE")).containsExactly("* NAMESPACE ((\"\" \".\")) NIL NIL",
                    "t3 OK Namespace completed");
            assertThat(c.tagged("APPEND Archive (\\Seen) {4+}\r\nhi\r\n"))
                    .startsWith("OK [APPENDUID " + archive + " 1]");
            c.tagged("SELECT INBOX");
            assertThat(c.command("COPY 1 Archive")).last().asString()
                    .startsWith("t6 OK [COPYUID " + archive + " 1 2]");
            assertThat(c.command("MOVE 1 Archive")).as("COPYUID for MOVE too (RFC 9051 6.4.8)").containsExactly(
                    "* OK [COPYUID " + archive + " 1 3] Moved UIDs.", "* 1 EXPUNGE", "t7 OK Move completed");
            assertThat(c.command("UID MOVE 3 Archive")).containsExactly(
                    "* OK [COPYUID " + archive + " 3 4] Moved UIDs.", "* 2 EXPUNGE", "t8 OK Move completed");
            assertThat(c.tagged("UID STORE 2 +FLAGS.SILENT (\\Deleted)")).startsWith("OK");
            assertThat(c.command("UID EXPUNGE 1:3")).containsExactly("* 1 EXPUNGE", "t10 OK Expunge completed");
            assertThat(c.tagged("UNSELECT")).startsWith("OK");
            assertThat(c.command("FETCH 1 UID")).containsExactly("t12 BAD No mailbox selected");
        }
        try (Mailbox a = account.open(MailboxName.of("Archive"))) {
            assertThat(a.status().messages()).isEqualTo(4);
        }
    }

    @Test
    void copyAndMoveNeverCreateTheTarget() throws Exception {
        try (RawImap c = rev2()) {
            c.tagged("SELECT INBOX");
            assertThat(c.tagged("COPY 1 Nowhere")).startsWith("NO [TRYCREATE]");
            assertThat(c.tagged("MOVE 1 Nowhere")).startsWith("NO [TRYCREATE]");
            assertThat(c.tagged("UID MOVE 1 Nowhere.Deeper")).startsWith("NO [TRYCREATE]");
            assertThat(c.tagged("APPEND Nowhere {4+}\r\nhi\r\n")).startsWith("NO [TRYCREATE]");
            assertThat(c.command("SEARCH ALL")).containsExactly("* ESEARCH (TAG \"t8\") ALL 1:3",
                    "t8 OK Search completed");
        }
        assertThat(account.exists(MailboxName.of("Nowhere"))).isFalse();
        assertThat(account.exists(MailboxName.of("Nowhere.Deeper"))).isFalse();
    }

    @Test
    void fetchBinaryListExtendedListStatusAndStatusSize() throws Exception {
        try (RawImap c = rev2()) {
            c.tagged("SELECT INBOX");
            c.send("b1 FETCH 2 (BINARY.SIZE[2] BINARY.PEEK[2])\r\n");
            assertThat(c.line()).isEqualTo("* 2 FETCH (BINARY.SIZE[2] 4 BINARY[2] ~{4}");
            byte[] decoded = new byte[4];
            for (int i = 0; i < 4; i++) {
                decoded[i] = (byte) c.raw().socket().getInputStream().read(); // RawClient reads unbuffered
            }
            assertThat(decoded).containsExactly(0, 1, 2, 0xff);
            assertThat(c.until("b1")).containsExactly(")", "b1 OK Fetch completed");
            c.tagged("SUBSCRIBE Archive");
            assertThat(c.command("LIST (SUBSCRIBED) \"\" *")).containsExactly(
                    "* LIST (\\Subscribed \\Archive) \".\" Archive", "t5 OK List completed");
            long size = (long) PLAIN.length() * 2 + BASE64.length();
            List<String> r = c.command("LIST \"\" INBOX RETURN (CHILDREN STATUS (MESSAGES SIZE DELETED))");
            assertThat(r).containsExactly("* LIST (\\HasNoChildren) \".\" INBOX",
                    "* STATUS INBOX (MESSAGES 3 SIZE " + size + " DELETED 0)", "t6 OK List completed");
        }
    }
}
