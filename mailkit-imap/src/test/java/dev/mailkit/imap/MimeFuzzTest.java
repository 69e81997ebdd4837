package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.store.mime.MessageStructure;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random MIME messages (nested multiparts with shared, missing, overlong and prefix-colliding boundaries,
 * message/rfc822 parts, broken and encoded header fields, odd line ends, NUL and 8-bit bytes): the structure parser
 * never throws, and IMAP clients fetching ENVELOPE, BODYSTRUCTURE and every part of them get answers, with the
 * session going on.
 */
class MimeFuzzTest {
    static final String[] HEADERS = {"Subject: =?UTF-8?B?w6l0w6k=?= =?ISO-8859-1?Q?caf=E9?= plain", "Subject: =?x?Q?",
        "From: \"Name, with comma\" <a@b.test>, c@d.test", "From: <>", "From: ;;;@@", "To: undisclosed-recipients:;",
        "Date: Mon, 32 Foo 99999 25:61:61 +9999", "Message-ID: <a@b>", "Content-Transfer-Encoding: base64",
        "Content-Transfer-Encoding: quoted-printable", "Content-Disposition: attachment; filename*=UTF-8''%C3%A9.txt",
        "Content-Language: en", "X-Junk: " + "y".repeat(2000), "Content-Type: text/plain; charset=\"unclosed",
        "Content-Type: ; ; =", "Content-Type: message/rfc822", "Content-Type: multipart/digest; boundary=d",
        "Folded: a\r\n b\r\n\tc", "NoColonLine", ": empty name", "Content-ID: <x@y>"};

    static String part(Random r, int depth, List<String> boundaries) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            sb.append(HEADERS[r.nextInt(HEADERS.length)]).append(r.nextInt(8) == 0 ? "\n" : "\r\n");
        }
        int kind = depth > 6 ? 0 : r.nextInt(4);
        if (kind == 1) { // multipart
            String b = r.nextInt(5) == 0 && !boundaries.isEmpty() ? boundaries.get(r.nextInt(boundaries.size())) // reuse
                    : r.nextInt(5) == 0 && !boundaries.isEmpty() ? boundaries.get(0) + "x" // a prefix of another
                    : r.nextInt(20) == 0 ? "b".repeat(1200) : "b" + r.nextInt(1000);
            boundaries.add(b);
            sb.append("Content-Type: multipart/").append(r.nextBoolean() ? "mixed" : "alternative").append("; boundary=\"")
                    .append(b).append("\"\r\n\r\npreamble\r\n");
            int parts = r.nextInt(4);
            for (int i = 0; i < parts; i++) {
                sb.append("--").append(b).append(r.nextInt(6) == 0 ? "  \t" : "").append("\r\n")
                        .append(part(r, depth + 1, boundaries)).append("\r\n");
            }
            if (r.nextInt(4) > 0) {
                sb.append("--").append(b).append("--\r\n");
            }
            sb.append(r.nextBoolean() ? "epilogue\r\n" : "");
        } else if (kind == 2) { // message/rfc822
            sb.append("Content-Type: message/rfc822\r\n\r\n").append(part(r, depth + 1, boundaries));
        } else {
            sb.append("\r\n");
            int lines = r.nextInt(6);
            for (int i = 0; i < lines; i++) {
                sb.append(r.nextInt(10) == 0 ? "\u0000\u00ff\u00e9" : r.nextInt(10) == 0 ? "--" + (boundaries.isEmpty()
                        ? "b" : boundaries.get(r.nextInt(boundaries.size()))) : "line " + i)
                        .append(r.nextInt(10) == 0 ? "\r" : "\r\n");
            }
        }
        return sb.toString();
    }

    @Test
    void randomMimeNeverBreaksTheParserOrTheSession() throws Exception {
        int count = Integer.getInteger("fuzz.seeds", 60);
        List<byte[]> messages = new ArrayList<>();
        for (long seed = 1; seed <= count; seed++) {
            Random r = new Random(seed);
            byte[] m = ("From: fuzz@x.test\r\n" + part(r, 0, new ArrayList<>())).getBytes(StandardCharsets.ISO_8859_1);
            MessageStructure.parse(new ByteArrayInputStream(m)); // must not throw
            messages.add(m);
        }
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
            for (byte[] m : messages) {
                inbox.append(MessageSource.of(m), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
            }
        }
        try (ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
            assertThat(c.command("SELECT INBOX")).anyMatch(l -> l.equals("* " + count + " EXISTS"));
            assertThat(c.tagged("FETCH 1:* (ENVELOPE BODYSTRUCTURE)")).startsWith("OK");
            for (String section : List.of("1", "1.MIME", "2", "1.1", "1.2.HEADER", "2.1.TEXT", "TEXT", "1.1.1")) {
                assertThat(c.tagged("FETCH 1:* (BODY.PEEK[" + section + "])")).as(section).startsWith("OK");
            }
            assertThat(c.tagged("SEARCH TEXT line")).startsWith("OK");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
    }

    /** Found by the fuzzer: a base64 body with a stray "=" made SEARCH BODY close the connection. */
    @Test
    void searchingABodyWithBrokenBase64FindsTextBeforeTheDamageAndGoesOn() throws Exception {
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        String good = java.util.Base64.getEncoder().encodeToString("needle in the text ".getBytes(StandardCharsets.UTF_8));
        try (Mailbox inbox = store.account(AccountId.parse("joe@example.com")).open(MailboxName.INBOX)) {
            inbox.append(MessageSource.of(("Subject: broken\r\nContent-Type: text/plain\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n" + good + "\r\n; ; =\r\nmore\r\n")
                    .getBytes(StandardCharsets.US_ASCII)), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
        }
        try (ImapServer server = ImapServerTest.plain().store(store).build().start();
             RawImap c = new RawImap(server.port())) {
            c.greeting();
            c.tagged("LOGIN joe@example.com secret");
            c.command("SELECT INBOX");
            assertThat(c.command("SEARCH BODY needle")).containsExactly("* SEARCH 1", "t3 OK Search completed");
            assertThat(c.command("SEARCH BODY more")).containsExactly("* SEARCH", "t4 OK Search completed");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
    }
}
