package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FETCH PREVIEW (RFC 8970) over a real socket: advertised, LAZY accepted and answered the same, unknown modifiers
 * refused, non-ASCII previews sent as UTF-8 literals, and hostile messages (a huge part, an HTML script that never
 * ends, bad charsets and broken UTF-8, multiparts nested far deeper than the parser follows) answered quickly with a
 * bounded preview and nothing changed: no {@code \Seen}, no new MODSEQ. The preview text itself is compared with
 * Dovecot's in {@link DovecotPreviewDifferentialTest}.
 */
class PreviewTest {
    MemoryMailStore store;
    ImapServer server;
    Mailbox inbox;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().build();
        inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX);
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        inbox.close();
        store.close();
    }

    long add(String message) {
        return add(message.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    long add(byte[] message) {
        return inbox.append(MessageSource.of(message), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
    }

    RawImap selected() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        assertThat(c.tagged("SELECT INBOX")).startsWith("OK [READ-WRITE]");
        return c;
    }

    @Test
    void previewIsAdvertisedAndLazyAnswersTheSame() throws Exception {
        add("Subject: a\n\nHello\n\n   world\n");
        try (RawImap c = selected()) {
            assertThat(c.command("CAPABILITY").get(0)).contains(" PREVIEW");
            assertThat(c.command("FETCH 1 (PREVIEW)")).containsExactly("* 1 FETCH (PREVIEW \"Hello world\")",
                    "t4 OK Fetch completed");
            assertThat(c.command("FETCH 1 (UID PREVIEW (LAZY) FLAGS)")).containsExactly(
                    "* 1 FETCH (UID 1 PREVIEW \"Hello world\" FLAGS (\\Recent))", "t5 OK Fetch completed");
            assertThat(c.command("UID FETCH 1 PREVIEW (lazy)")).containsExactly(
                    "* 1 FETCH (UID 1 PREVIEW \"Hello world\")", "t6 OK Fetch completed");
            assertThat(c.tagged("FETCH 1 (PREVIEW (EAGER))")).startsWith("BAD")
                    .contains("unknown PREVIEW modifier EAGER");
            // the fetch changed nothing: not \Seen, and the MODSEQ is still the append's
            assertThat(c.command("FETCH 1 (FLAGS MODSEQ)")).contains("* 1 FETCH (FLAGS (\\Recent) MODSEQ (2))");
        }
    }

    @Test
    void nonAsciiPreviewIsAUtf8Literal() throws Exception {
        add("Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
                + "Gr=FC=DFe\n");
        try (RawImap c = selected()) {
            List<String> r = c.command("FETCH 1 PREVIEW");
            byte[] expected = "Gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8);
            assertThat(r.get(0)).isEqualTo("* 1 FETCH (PREVIEW {" + expected.length + "}");
            assertThat(r.get(1)).isEqualTo("Gr\u00fc\u00dfe)");
        }
    }

    @Test
    void hostileMessagesGetBoundedPreviews() throws Exception {
        // 8 MiB of text in one line: 200 characters come back, no more
        add("Subject: huge\n\n" + "x".repeat(8 << 20) + "\n");
        // a script that never ends hides everything after it; the alert text never shows
        add("Content-Type: text/html\n\n<p>visible</p><script>alert('stolen')" + "a<b ".repeat(200_000) + "\n");
        // a charset Java does not know, and one with quotes and a semicolon: read as UTF-8
        add("Content-Type: text/plain; charset=\"x-no-such\\\"; evil\"\n\nplain words\n");
        // broken UTF-8 (a lone continuation byte and a truncated sequence) becomes U+FFFD, never an error
        byte[] broken = "Content-Type: text/plain; charset=utf-8\r\n\r\nok \u0080 \u00e2\u0082 end\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        add(broken);
        // 500 nested multiparts (deeper than the parser follows) with the text at the bottom
        StringBuilder nested = new StringBuilder("Subject: deep\n");
        for (int i = 0; i < 500; i++) {
            nested.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i)
                    .append("\n");
        }
        nested.append("Content-Type: text/plain\n\ndeep text\n");
        add(nested.toString());
        // HTML that only ever opens tags and references: nothing to show
        add("Content-Type: text/html\n\n" + "<".repeat(100_000) + "&".repeat(100_000) + "\n");
        try (RawImap c = selected()) {
            List<String> r = c.command("FETCH 1:6 PREVIEW");
            assertThat(r.get(0)).isEqualTo("* 1 FETCH (PREVIEW \"" + "x".repeat(200) + "\")");
            assertThat(r.get(1)).isEqualTo("* 2 FETCH (PREVIEW \"visible\")");
            assertThat(r.get(2)).isEqualTo("* 3 FETCH (PREVIEW \"plain words\")");
            assertThat(r.get(3)).isEqualTo("* 4 FETCH (PREVIEW {" + "ok \ufffd \ufffd end".getBytes(StandardCharsets.UTF_8).length + "}");
            assertThat(r.get(4)).isEqualTo("ok \ufffd \ufffd end)");
            assertThat(r.get(5)).startsWith("* 5 FETCH (PREVIEW ");
            assertThat(r.get(6)).isEqualTo("* 6 FETCH (PREVIEW \"\")");
            assertThat(r.get(7)).isEqualTo("t3 OK Fetch completed");
            assertThat(String.join("\n", r)).doesNotContain("stolen", "alert");
            assertThat(c.command("FETCH 1:6 FLAGS")).allSatisfy(l -> assertThat(l).doesNotContain("\\Seen"));
        }
    }
}
