package dev.mailkit.pop3;

import dev.mailkit.store.Mailbox;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.DirectoryTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * mailkit and Dovecot's POP3 over the same messages (a Maildir for Dovecot; the same files delivered into the store
 * for mailkit): the same STAT, the same LIST sizes, RETR and TOP bytes (byte-stuffed, as sent), +OK/-ERR for the
 * same errors, the same number of distinct UIDLs, and the same effect of DELE and QUIT.
 */
class DovecotDifferentialTest {
    @TempDir
    Path tmp;
    private Pop3Fixture fx;
    private Pop3Server server;
    private Map<String, byte[]> corpus;
    private Path maildir;

    /** Which store mailkit serves the messages from. */
    enum Kind {
        /** The same files delivered into the in-memory store (CRLF form). */
        MEMORY,
        /** The Maildir store over a copy of Dovecot's Maildir, files as they are (LF line ends). */
        MAILDIR
    }

    private void setUp(Kind kind) throws IOException {
        DovecotPop3.require();
        corpus = MaildirCorpus.messages();
        maildir = tmp.resolve("dovecot");
        MaildirCorpus.write(maildir, corpus);
        if (kind == Kind.MAILDIR) {
            Path data = tmp.resolve("mailkit");
            DirectoryTrees.copy(maildir, data.resolve("local.test").resolve("ann"));
            fx = new Pop3Fixture(MaildirMailStore.builder(data).fsync(false).build());
        } else {
            fx = new Pop3Fixture();
            try (Mailbox box = fx.inbox(ANN)) {
                MaildirCorpus.load(box, corpus.values());
            }
        }
        server = fx.start();
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private List<Pop3Transcript.Response> dovecot(List<String> commands) throws IOException {
        return Pop3Transcript.parse(DovecotPop3.run(maildir, commands), commands);
    }

    private List<Pop3Transcript.Response> mailkit(List<String> commands) throws IOException {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            StringBuilder b = new StringBuilder("USER " + ANN + "\r\nPASS secret\r\n");
            commands.forEach(cmd -> b.append(cmd).append("\r\n"));
            c.send(b.toString());
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readLine()).startsWith("+OK Logged in");
            return Pop3Transcript.parse(c.readToEnd(), commands);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sameMessagesSizesBytesAndUidlSet(Kind kind) throws IOException {
        setUp(kind);
        int n = corpus.size();
        List<String> commands = new ArrayList<>(List.of("STAT", "LIST", "UIDL"));
        for (int i = 1; i <= n; i++) {
            commands.addAll(List.of("LIST " + i, "RETR " + i, "TOP " + i + " 0", "TOP " + i + " 2"));
        }
        commands.addAll(List.of("RETR 0", "RETR " + (n + 1), "LIST " + (n + 1), "UIDL " + (n + 1), "TOP 1",
                "NOOP", "QUIT"));
        List<Pop3Transcript.Response> d = dovecot(commands);
        List<Pop3Transcript.Response> m = mailkit(commands);
        for (int i = 0; i < commands.size(); i++) {
            String cmd = commands.get(i);
            Pop3Transcript.Response dr = d.get(i);
            Pop3Transcript.Response mr = m.get(i);
            assertThat(mr.ok()).as(cmd + ": dovecot said " + dr.status() + ", mailkit " + mr.status())
                    .isEqualTo(dr.ok());
            if (cmd.startsWith("UIDL")) {
                continue;
            }
            if ((cmd.equals("STAT") || cmd.startsWith("LIST ")) && dr.ok()) {
                assertThat(mr.status()).as(cmd).isEqualTo(dr.status());
            }
            byte[] expected = dovecotFirstLineFixed(dr.body());
            assertThat(mr.bodyText()).as(cmd).isEqualTo(new String(expected, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(mr.body()).as(cmd).isEqualTo(expected);
            if (cmd.startsWith("RETR ") && dr.ok()) {
                assertThat(mr.status()).as(cmd).isEqualTo(dr.status()); // "+OK <size> octets" in both
            }
        }
        List<String> dUidl = d.get(2).bodyLines();
        List<String> mUidl = m.get(2).bodyLines();
        assertThat(mUidl).hasSameSizeAs(dUidl).hasSize(n);
        assertThat(uniqueIds(mUidl)).hasSize(n).allMatch(DovecotDifferentialTest::validUidl);
        assertThat(uniqueIds(dUidl)).hasSize(n);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sameEffectOfDeleRsetAndQuit(Kind kind) throws IOException {
        setUp(kind);
        List<String> first = List.of("DELE 2", "DELE 2", "RETR 2", "STAT", "RSET", "STAT", "DELE 1", "DELE 3",
                "LIST", "QUIT");
        List<Pop3Transcript.Response> d = dovecot(first);
        List<Pop3Transcript.Response> m = mailkit(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(m.get(i).ok()).as(first.get(i)).isEqualTo(d.get(i).ok());
            if (first.get(i).equals("STAT")) {
                assertThat(m.get(i).status()).isEqualTo(d.get(i).status());
            }
        }
        assertThat(m.get(8).bodyText()).isEqualTo(d.get(8).bodyText());
        List<String> after = List.of("STAT", "LIST", "RETR 1", "QUIT");
        Await.until("the maildrop to be released", java.time.Duration.ofSeconds(10),
                () -> server.connectionCount() == 0);
        d = dovecot(after);
        m = mailkit(after);
        assertThat(m.get(0).status()).isEqualTo(d.get(0).status());
        assertThat(m.get(1).bodyText()).isEqualTo(d.get(1).bodyText());
        assertThat(m.get(2).body()).isEqualTo(d.get(2).body());
    }

    /**
     * Dovecot 2.3 does not byte-stuff the first line of a message (a message whose header starts with {@code .}
     * reaches POP3 clients without its first dot); mailkit stuffs every line, as RFC 1939 says. The corpus has one
     * such message; everything else must be identical.
     */
    private static byte[] dovecotFirstLineFixed(byte[] body) {
        if (body.length > 0 && body[0] == '.' && !(body.length > 1 && body[1] == '.')) {
            byte[] fixed = new byte[body.length + 1];
            fixed[0] = '.';
            System.arraycopy(body, 0, fixed, 1, body.length);
            return fixed;
        }
        return body;
    }

    /**
     * Moving a maildrop from Dovecot to mailkit: the Maildir store adopts Dovecot's UIDs and UIDVALIDITY
     * ({@code dovecot-uidlist}) and the UIDLs have Dovecot's format, so clients see the same UIDLs and do not fetch
     * everything again.
     */
    @Test
    void afterDovecotHasIndexedTheMaildirTheUidlsAreDovecots() throws IOException {
        DovecotPop3.require();
        corpus = MaildirCorpus.messages();
        maildir = tmp.resolve("dovecot");
        MaildirCorpus.write(maildir, corpus);
        List<String> uidl = List.of("UIDL", "QUIT");
        List<String> before = dovecot(uidl).get(0).bodyLines();
        Path data = tmp.resolve("mailkit");
        DirectoryTrees.copy(maildir, data.resolve("local.test").resolve("ann"));
        fx = new Pop3Fixture(MaildirMailStore.builder(data).fsync(false).build());
        server = fx.start();
        assertThat(mailkit(uidl).get(0).bodyLines()).hasSize(corpus.size()).isEqualTo(before);
    }

    @Test
    void dovecotLeavesTheFirstLineUnstuffedMailkitDoesNot() throws IOException {
        setUp(Kind.MEMORY);
        String cmd = "RETR " + (new ArrayList<>(corpus.keySet()).indexOf("leading-dot-header") + 1);
        Pop3Transcript.Response d = dovecot(List.of(cmd, "QUIT")).get(0);
        Pop3Transcript.Response m = mailkit(List.of(cmd, "QUIT")).get(0);
        assertThat(d.bodyText()).startsWith(".X-Odd: header\r\n");   // a client un-stuffs this to "X-Odd"
        assertThat(m.bodyText()).startsWith("..X-Odd: header\r\n");  // and this back to ".X-Odd"
    }

    private static List<String> uniqueIds(List<String> lines) {
        List<String> ids = new ArrayList<>();
        for (String l : lines) {
            ids.add(l.substring(l.indexOf(' ') + 1));
        }
        return new ArrayList<>(new HashSet<>(ids));
    }

    /** RFC 1939: 1 to 70 characters in the range 0x21 to 0x7E. */
    private static boolean validUidl(String id) {
        return !id.isEmpty() && id.length() <= 70 && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }
}
