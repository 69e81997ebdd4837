package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.imap.testing.ImapTranscript;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same IMAP commands sent to Dovecot's {@code imap} and to mailkit, over copies of the same Maildir (written once
 * by mailkit's Maildir store, then copied for each server), give the same results after normalising tags, wording,
 * literal-versus-quoted and item order: flags (with {@code \Recent}), UIDs, sizes, internal dates, ENVELOPE,
 * BODYSTRUCTURE, BODY sections, SEARCH hits, STORE, COPY, APPEND and EXPUNGE effects. The same commands against
 * the in-memory store holding the same messages must give the same results too.
 */
class DovecotDifferentialTest {
    /** The corpus, with the Maildir flags each message starts with. */
    static final String[][] CORPUS = {
        {"01-simple.eml", "S"}, {"02-mixed.eml", ""}, {"03-alternative.eml", "FS"}, {"04-forward.eml", ""},
        {"05-notype.eml", "D"}, {"06-reply.eml", "RS"}, {"07-related.eml", ""}, {"08-empty-body.eml", ""},
    };

    static final List<String> COMMANDS = List.of(
            "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)",
            "FETCH 1:* ENVELOPE",
            "FETCH 1:* BODYSTRUCTURE",
            "FETCH 1:* BODY",
            "FETCH 1:* (BODY.PEEK[HEADER] BODY.PEEK[TEXT])",
            "FETCH 1:* BODY.PEEK[1]",
            "FETCH 1:* (BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[2.MIME])",
            "FETCH 4 (BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[2.2.MIME] BODY.PEEK[2.2] "
                    + "BODY.PEEK[2.1.MIME])",
            "FETCH 7 (BODY.PEEK[1.1] BODY.PEEK[1.2] BODY.PEEK[1.2.MIME] BODY.PEEK[2] BODY.PEEK[3])",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS (From Subject X-Folded)]",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS.NOT (Received Message-ID Date)]",
            "FETCH 1:* (BODY.PEEK[]<0.20> BODY.PEEK[TEXT]<5.10>)",
            "FETCH 2 (RFC822.HEADER RFC822.SIZE)",
            "FETCH 1:8 (BODY.PEEK[1.HEADER] BODY.PEEK[1.TEXT] BODY.PEEK[9])",
            "SEARCH ALL", "SEARCH SEEN", "SEARCH UNSEEN", "SEARCH FLAGGED", "SEARCH ANSWERED", "SEARCH DRAFT",
            "SEARCH NEW", "SEARCH OLD", "SEARCH RECENT", "SEARCH UNDRAFT UNFLAGGED",
            "SEARCH FROM ann", "SEARCH TO joe", "SEARCH CC team", "SEARCH BCC hidden", "SEARCH SUBJECT lunch",
            "SEARCH SUBJECT newsletter", "SEARCH FROM \"doe, john\"",
            "SEARCH BODY needle-word", "SEARCH CHARSET UTF-8 BODY {7+}\r\nmünchen", "SEARCH TEXT joe",
            "SEARCH HEADER X-Folded continued", "SEARCH HEADER Message-ID simple", "SEARCH HEADER Sender \"\"",
            "SEARCH LARGER 500", "SEARCH SMALLER 300",
            "SEARCH SINCE 4-Jan-2024", "SEARCH BEFORE 3-Jan-2024", "SEARCH ON 5-Jan-2024",
            "SEARCH SENTSINCE 4-Jan-2024", "SEARCH SENTBEFORE 3-Jan-2024", "SEARCH SENTON 2-Jan-2024",
            "SEARCH OR FROM bob FROM legacy", "SEARCH NOT SEEN", "SEARCH (FROM ann SEEN)",
            "SEARCH 2:4", "UID SEARCH UID 3:*", "SEARCH 2,5:*", "UID SEARCH SUBJECT order",
            "STORE 2 +FLAGS (\\Flagged)", "STORE 3 -FLAGS (\\Seen)", "STORE 4 FLAGS (\\Answered $Work)",
            "STORE 6 -FLAGS.SILENT (\\Answered)",
            "FETCH 1:* FLAGS", "SEARCH KEYWORD $Work", "SEARCH UNKEYWORD $Work",
            "STORE 5 +FLAGS.SILENT (\\Deleted)", "EXPUNGE", "FETCH 1:* UID",
            "LIST \"\" *", "STATUS INBOX (MESSAGES UNSEEN UIDNEXT RECENT)",
            "UID FETCH 1:* (FLAGS)", "FETCH 9 FLAGS", "UID FETCH 99 FLAGS",
            "COPY 1:2 INBOX", "FETCH 1:* (UID FLAGS)", "UID STORE 9 +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE 9",
            "APPEND INBOX (\\Seen $Appended) \"10-Jan-2024 10:00:00 +0000\" {28+}\r\nSubject: appended\r\n\r\nhello\r\n",
            "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", "SEARCH SUBJECT appended",
            "UID SEARCH RETURN (MIN MAX COUNT) ALL", "SEARCH RETURN (ALL) UNSEEN", "EXAMINE INBOX",
            "FETCH 1 BODY[TEXT]", "FETCH 1 FLAGS", "STORE 1 +FLAGS (\\Flagged)", "FETCH 1 FLAGS", "EXPUNGE",
            "UID EXPUNGE 1:*", "CLOSE");
    // not compared: MOVE out of an EXAMINEd mailbox, which Dovecot performs and mailkit refuses (RFC 3501 6.3.2:
    // EXAMINE permits no change to the mailbox); see MailboxCommandsTest.moveOutOfAnExaminedMailboxIsRefused...

    /** The account whose INBOX is served. */
    static final AccountId JOE = AccountId.parse("joe@example.com");

    /** The data directory mailkit's Maildir store wrote the corpus into; each server gets a copy of it. */
    @TempDir
    static Path dir;
    static Path written;
    /** Dovecot's answers over its copy of the Maildir. */
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        written = dir.resolve("written");
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < CORPUS.length; i++) {
                inbox.append(MessageSource.of(crlf(load(CORPUS[i][0]))), flags(CORPUS[i][1]), date(i));
            }
        }
        Path copy = copy(written, dir.resolve("dovecot"));
        Process p = DovecotImap.start(copy.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = run(c, COMMANDS);
        } finally {
            p.destroyForcibly();
        }
    }

    /** mailkit's Maildir store serving its own copy of the same Maildir, as a restarted server would. */
    @Test
    void theMaildirStoreOverACopyOfTheSameMaildirAnswersLikeDovecot() throws Exception {
        Path copy = copy(written, dir.resolve("mailkit"));
        try (MaildirMailStore store = MaildirMailStore.builder(copy).fsync(false).hostName("mk").build()) {
            compare("maildir", dovecot, mailkit(store, COMMANDS));
        }
    }

    /** The in-memory store (mailkit-test's), holding the same messages, flags and dates. */
    @Test
    void theMemoryStoreWithTheSameMessagesAnswersLikeDovecot() throws Exception {
        try (MemoryMailStore store = MemoryMailStore.create()) {
            try (Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
                for (int i = 0; i < CORPUS.length; i++) {
                    inbox.append(MessageSource.of(crlf(load(CORPUS[i][0]))), flags(CORPUS[i][1]), date(i));
                }
            }
            compare("memory", dovecot, mailkit(store, COMMANDS));
        }
    }

    /** mailkit's answers to the commands, logged in as joe over a plain IMAP server on the store. */
    static List<String> mailkit(MailStore store, List<String> commands) throws Exception {
        try (ImapServer server = ImapServerTest.plain().store(store).build().start();
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            ImapConversation c = new ImapConversation(s.getInputStream(), s.getOutputStream());
            c.response();
            c.command("l", "LOGIN joe@example.com secret");
            return run(c, commands);
        }
    }

    /** Fails listing every answer that differs. */
    static void compare(String variant, List<String> dovecot, List<String> mailkit) throws Exception {
        if (System.getenv("MAILKIT_DIFF_DUMP") != null) {
            Files.write(Path.of(System.getenv("MAILKIT_DIFF_DUMP"), "dovecot.txt"), dovecot);
            Files.write(Path.of(System.getenv("MAILKIT_DIFF_DUMP"), "mailkit-" + variant + ".txt"), mailkit);
        }
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < Math.max(dovecot.size(), mailkit.size()); i++) {
            String d = i < dovecot.size() ? dovecot.get(i) : "(nothing)";
            String m = i < mailkit.size() ? mailkit.get(i) : "(nothing)";
            if (!d.equals(m)) {
                differences.add("dovecot: " + d + "\nmailkit: " + m);
            }
        }
        assertThat(differences).as(String.join("\n\n", differences)).isEmpty();
    }

    static Instant date(int i) {
        return Instant.parse(String.format("2024-01-%02dT12:00:00Z", i + 1));
    }

    /** Copies a directory tree (files keep their modification times: Maildir internal dates). */
    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    /** SELECT INBOX, then each command, the answers normalised. */
    static List<String> run(ImapConversation c, List<String> commands) throws Exception {
        List<String> out = new ArrayList<>();
        out.addAll(ImapTranscript.normalize(c.command("s", "SELECT INBOX")));
        for (int i = 0; i < commands.size(); i++) {
            String cmd = commands.get(i);
            out.add("### " + cmd);
            out.addAll(ImapTranscript.normalize(c.command("c" + i, cmd)));
        }
        return out;
    }

    static Flags flags(String maildirFlags) {
        List<SystemFlag> f = new ArrayList<>();
        for (char ch : maildirFlags.toCharArray()) {
            f.add(switch (ch) {
                case 'D' -> SystemFlag.DRAFT;
                case 'F' -> SystemFlag.FLAGGED;
                case 'R' -> SystemFlag.ANSWERED;
                case 'S' -> SystemFlag.SEEN;
                case 'T' -> SystemFlag.DELETED;
                default -> throw new IllegalArgumentException(String.valueOf(ch));
            });
        }
        return Flags.of(f.toArray(new SystemFlag[0]));
    }

    static byte[] load(String name) throws Exception {
        try (InputStream in = DovecotDifferentialTest.class.getResourceAsStream("/corpus/" + name)) {
            return in.readAllBytes();
        }
    }

    static byte[] crlf(byte[] lf) {
        String s = new String(lf, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
