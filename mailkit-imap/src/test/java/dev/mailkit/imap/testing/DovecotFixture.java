package dev.mailkit.imap.testing;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.DirectoryTrees;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The set-up every differential test against Dovecot shares: a corpus written once into joe@example.com's INBOX by
 * mailkit's Maildir store, a copy of that Maildir for Dovecot's {@code imap} (see {@link DovecotImap}) and a fresh
 * copy for each mailkit variant, the same script run on both ({@link DifferentialSession#run}), and the comparison
 * of the two normalised transcripts.
 *
 * <pre>{@code
 * fx = DovecotFixture.builder(tempDir).resource("/corpus/01-simple.eml", "S", DovecotFixture.day(0)).build();
 * List<String> dovecot = fx.dovecot(COMMANDS);
 * try (MailStore store = fx.maildirCopy("mailkit")) {
 *     DovecotFixture.compare("maildir", dovecot, fx.mailkit(store, COMMANDS));
 * }
 * }</pre>
 * Dovecot's copy lives on between calls: every {@link #openDovecot} session (several may be open at once) sees what
 * the ones before changed. Not thread-safe.
 */
public final class DovecotFixture {
    /** The account whose INBOX holds the corpus; mailkit's sessions log in as it with the password "secret". */
    public static final AccountId JOE = AccountId.parse("joe@example.com");
    private static final InMemoryUserDirectory USERS = InMemoryUserDirectory.builder().passwordHashIterations(1000)
            .user(JOE.toString(), "secret").build();

    private final Path dir;
    private final Path written;
    private final Path dovecotHome;
    private final List<Message> corpus;
    private final UnaryOperator<List<String>> transcript;

    private DovecotFixture(Path dir, List<Message> corpus, UnaryOperator<List<String>> transcript) throws IOException {
        this.dir = dir;
        this.corpus = List.copyOf(corpus);
        this.transcript = transcript;
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        written = dir.resolve("written");
        try (MaildirMailStore store = maildirStore(written)) {
            if (corpus.isEmpty()) {
                store.account(JOE).exists(MailboxName.INBOX);
            } else {
                fill(store);
            }
        }
        dovecotHome = DirectoryTrees.copy(written, dir.resolve("dovecot")).resolve("example.com").resolve("joe");
    }

    /** A fixture whose files go below {@code dir} (a JUnit {@code @TempDir}); it must be empty. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** Noon UTC on the {@code i+1}th of January 2024: the internal date the basic corpus gives message {@code i}. */
    public static Instant day(int i) {
        return Instant.parse(String.format("2024-01-%02dT12:00:00Z", i + 1));
    }

    /** Flags from Maildir's letters (D, F, R, S, T). */
    public static Flags maildirFlags(String letters) {
        List<SystemFlag> f = new ArrayList<>();
        for (char ch : letters.toCharArray()) {
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

    /** The bytes of a test resource (an absolute resource path such as {@code /corpus/01-simple.eml}). */
    public static byte[] resource(String path) {
        try (InputStream in = DovecotFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message with CRLF line ends, whatever it had. */
    public static byte[] crlf(byte[] message) {
        String s = new String(message, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The home (and Maildir) of Dovecot's copy, for settings that name a file in it. */
    public Path dovecotHome() {
        return dovecotHome;
    }

    /** Dovecot's normalised answers to SELECT INBOX and the commands, in one session over its copy. */
    public List<String> dovecot(List<String> commands, String... settings) throws IOException {
        try (DifferentialSession s = openDovecot(settings)) {
            return transcript.apply(s.run(commands));
        }
    }

    /** A pre-authenticated Dovecot session over its copy, with {@code -o} settings ({@code imap_metadata=yes}). */
    public DifferentialSession openDovecot(String... settings) throws IOException {
        return DifferentialSession.dovecot(dovecotHome, List.of(settings));
    }

    /** mailkit's Maildir store over a new copy (below {@code name}) of the Maildir the corpus was written to. */
    public MaildirMailStore maildirCopy(String name) throws IOException {
        return maildirStore(DirectoryTrees.copy(written, dir.resolve(name)));
    }

    /** Appends the corpus (same bytes, flags and internal dates) to joe's INBOX in any store. */
    public void fill(MailStore store) throws IOException {
        try (Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (Message m : corpus) {
                inbox.append(MessageSource.of(m.bytes), m.flags, m.internalDate);
            }
        }
    }

    /** mailkit's normalised answers, from a plain IMAP server on the store. */
    public List<String> mailkit(MailStore store, List<String> commands) throws IOException {
        return mailkit(server(store), commands);
    }

    /** mailkit's normalised answers, from the server the builder makes (see {@link #server}), logged in as joe. */
    public List<String> mailkit(ImapServer.Builder server, List<String> commands) throws IOException {
        try (ImapServer started = server.build().start(); DifferentialSession s = openMailkit(started)) {
            return transcript.apply(s.run(commands));
        }
    }

    /** A session on a started mailkit server, logged in as joe. */
    public static DifferentialSession openMailkit(ImapServer server) throws IOException {
        return DifferentialSession.mailkit(server.port(), JOE.toString(), "secret");
    }

    /** A plain IMAP server builder on the store that knows joe (password "secret") and makes no one wait. */
    public static ImapServer.Builder server(MailStore store) {
        return ImapServer.builder().users(USERS).authFailurePenalty(AuthFailurePenalty.none()).store(store);
    }

    /**
     * Fails listing every answer that differs. With the environment variable {@code MAILKIT_DIFF_DUMP} naming a
     * directory, both transcripts are written there first.
     */
    public static void compare(String variant, List<String> dovecot, List<String> mailkit) throws IOException {
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

    private static MaildirMailStore maildirStore(Path data) {
        return MaildirMailStore.builder(data).fsync(false).hostName("mk").build();
    }

    private record Message(byte[] bytes, Flags flags, Instant internalDate) {
    }

    /** The corpus and how transcripts are compared; {@link #build()} writes the corpus and Dovecot's copy. */
    public static final class Builder {
        private final Path dir;
        private final List<Message> corpus = new ArrayList<>();
        private UnaryOperator<List<String>> transcript = UnaryOperator.identity();

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Appends a message (its line ends made CRLF) with the flags and internal date. */
        public Builder message(byte[] message, Flags flags, Instant internalDate) {
            corpus.add(new Message(crlf(message), flags, internalDate));
            return this;
        }

        /** Appends a test resource (see {@link #resource(String)}) with Maildir flag letters and an internal date. */
        public Builder resource(String path, String maildirFlags, Instant internalDate) {
            return message(DovecotFixture.resource(path), maildirFlags(maildirFlags), internalDate);
        }

        /**
         * A rewrite applied to both servers' transcripts before they are compared, for answers that may rightly
         * differ in a known way (MODSEQ numbering, the order of METADATA entries). None by default.
         */
        public Builder transcript(UnaryOperator<List<String>> rewrite) {
            this.transcript = rewrite;
            return this;
        }

        /** Writes the corpus (an empty one still makes joe's account) and copies it for Dovecot. */
        public DovecotFixture build() throws IOException {
            return new DovecotFixture(dir, corpus, transcript);
        }
    }
}
