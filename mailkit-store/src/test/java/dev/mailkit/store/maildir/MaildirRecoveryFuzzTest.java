package dev.mailkit.store.maildir;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.testsupport.DirectoryTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of a Maildir mailbox's recovery from its own damaged records: a copy of a fixed account
 * (five messages in {@code new/} and {@code cur/}, flags, a keyword, a cleanly written {@code mailkit-index} and
 * {@code mailkit-cache}, kept in the test resources so that every input replays the same) gets the fuzzer's bytes as
 * its index, its structure cache, or both, and is opened. Properties: opening never fails; the mailbox holds exactly
 * the message files on disk, each once (the same answer as the files themselves, the reference); UIDs are unique and
 * ascending below UIDNEXT; every message's structure is the one its content parses to, whatever the cache said; and
 * the store appends and closes normally afterwards. Input: the first byte chooses index, cache or both; the second is
 * where a combined input is split.
 */
class MaildirRecoveryFuzzTest {
    static final AccountId ACCOUNT = AccountId.parse("joe@example.com");


    private static Path template() {
        try {
            return Paths.get(MaildirRecoveryFuzzTest.class.getResource("/dev/mailkit/store/maildir/fuzz-template")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void damagedIndexAndCache(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        Path root = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "mk-fuzz-");
        try {
            copy(template(), root);
            Path inbox = root.resolve("example.com").resolve("joe");
            byte[] body = Arrays.copyOfRange(input, 2, input.length);
            int split = Math.min(body.length, (input[1] & 0xFF) * body.length / 255);
            switch (input[0] & 3) {
                case 0 -> Files.write(inbox.resolve(IndexJournal.FILE), body);
                case 1 -> Files.write(inbox.resolve("mailkit-cache"), body);
                default -> {
                    Files.write(inbox.resolve(IndexJournal.FILE), Arrays.copyOfRange(body, 0, split));
                    Files.write(inbox.resolve("mailkit-cache"), Arrays.copyOfRange(body, split, body.length));
                }
            }
            Set<String> files = new HashSet<>();
            for (String sub : List.of("new", "cur")) {
                try (Stream<Path> s = Files.list(inbox.resolve(sub))) {
                    s.forEach(f -> files.add(new String(readAll(f), StandardCharsets.ISO_8859_1)));
                }
            }
            try (MaildirMailStore store = MaildirMailStore.builder(root).fsync(false).build()) {
                MailAccount account = store.account(ACCOUNT);
                try (Mailbox mailbox = account.open(MailboxName.INBOX);
                     MailboxView view = mailbox.openView(ViewMode.READ_ONLY)) {
                    List<String> contents = new ArrayList<>();
                    long last = 0;
                    for (int seq = 1; seq <= view.messageCount(); seq++) {
                        long uid = view.uid(seq);
                        assertThat(uid).isGreaterThan(last).isLessThan(view.uidNext());
                        last = uid;
                        byte[] raw = mailbox.content(uid).orElseThrow().toByteArray();
                        contents.add(new String(raw, StandardCharsets.ISO_8859_1));
                        assertThat(mailbox.structure(uid).orElseThrow()).as("structure of UID %d", uid)
                                .isEqualTo(MessageStructure.parse(MessageSource.of(raw)));
                        assertThat(mailbox.message(uid)).isPresent();
                    }
                    assertThat(new HashSet<>(contents)).as("the messages are the files").isEqualTo(files);
                    assertThat(contents).doesNotHaveDuplicates();
                    assertThat(mailbox.status().messages()).isEqualTo(files.size());
                    long uid = mailbox.append(MessageSource.of("Subject: after\r\n\r\nok\r\n".getBytes(
                            StandardCharsets.US_ASCII)), Flags.NONE, Instant.parse("2024-01-01T00:00:00Z"));
                    assertThat(uid).isGreaterThan(last);
                }
            }
        } finally {
            delete(root);
        }
    }

    private static byte[] readAll(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        DirectoryTrees.copy(from, to);
        Files.createDirectories(to.resolve("example.com/joe/tmp"));
        Files.createDirectories(to.resolve("example.com/joe/new"));
        Files.createDirectories(to.resolve("example.com/joe/cur"));
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes the template account into {@code args[0]} (run once; the result is kept in the test resources). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        try (MaildirMailStore store = MaildirMailStore.builder(root).hostName("fuzz.test").build()) {
            MailAccount account = store.account(ACCOUNT);
            try (Mailbox inbox = account.open(MailboxName.INBOX)) {
                String[] messages = {
                    "From: a@example.com\r\nSubject: one\r\n\r\nfirst\r\n",
                    "From: b@example.com\r\nSubject: two\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
                        + "Content-Type: text/plain\r\n\r\npart\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n"
                        + "Subject: inner\r\n\r\ninner\r\n--x--\r\n",
                    "Subject: three\r\n\r\nthird\r\n", "Subject: four\r\n\r\nfourth\r\n", "Subject: five\r\n\r\n5\r\n"};
                int i = 0;
                for (String m : messages) {
                    Flags f = i % 2 == 0 ? Flags.NONE : Flags.of(SystemFlag.SEEN);
                    if (i == 3) {
                        f = Flags.of(List.of(SystemFlag.FLAGGED), List.of("$Label1"));
                    }
                    long uid = inbox.append(MessageSource.of(m.getBytes(StandardCharsets.US_ASCII)), f,
                            Instant.parse("2024-01-0" + (i + 1) + "T10:00:00Z"));
                    inbox.structure(uid); // fills the cache
                    i++;
                }
            }
        }
    }
}
