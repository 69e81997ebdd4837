package dev.mailkit.store.maildir;

import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An index record whose message sizes were damaged (MaildirRecoveryFuzzTest's findings: a CRLF size below the file's
 * size made every read throw {@code IllegalArgumentException}, a file size that disagreed with the file made every
 * read fail with "changed by another program?"): the sizes are measured from the file again, the message keeps its
 * UID and reads whole, and the index is rewritten with the right sizes.
 */
class MaildirIndexSizesTest {
    @TempDir
    Path tmp;

    private MaildirMailStore open() {
        return MaildirMailStore.builder(tmp.resolve("data")).build();
    }

    private Path index() {
        return tmp.resolve("data").resolve("example.com").resolve("ann").resolve(IndexJournal.FILE);
    }

    @Test
    void impossibleCrlfSizeIsMeasuredAgain() throws IOException {
        damagedSizesAreMeasuredAgain(fields -> {
            fields[4] = String.valueOf(Long.parseLong(fields[5]) / 2); // CRLF size below the file's size
        });
    }

    @Test
    void aFileSizeThatDisagreesWithTheFileNameIsMeasuredAgain() throws IOException {
        damagedSizesAreMeasuredAgain(fields -> {
            long file = Long.parseLong(fields[5]);
            fields[4] = String.valueOf(2 * (file / 2) + 2); // possible for the recorded file size...
            fields[5] = String.valueOf(file / 2 + 1); // ...which is not the file's (nor its name's S=)
        });
    }

    private void damagedSizesAreMeasuredAgain(java.util.function.Consumer<String[]> damage) throws IOException {
        byte[] original;
        long size;
        long validity;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(MaildirMailStoreTest.ANN)
                .open(MailboxName.INBOX)) {
            inbox.append(MaildirMailStoreTest.msg("one")); // bare LFs: the CRLF size is bigger than the file
            inbox.append(MaildirMailStoreTest.msg("two"));
            original = inbox.content(1).orElseThrow().toByteArray();
            size = inbox.message(1).orElseThrow().size();
            validity = inbox.uidValidity();
        }
        String good = recordOf(1);
        List<String> lines = new ArrayList<>(Files.readAllLines(index(), StandardCharsets.ISO_8859_1));
        String[] fields = good.split(" ");
        damage.accept(fields);
        String bad = String.join(" ", fields);
        assertThat(bad).isNotEqualTo(good);
        lines.set(lines.indexOf(good), bad);
        Files.write(index(), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.ISO_8859_1));

        try (MaildirMailStore store = open(); Mailbox inbox = store.account(MaildirMailStoreTest.ANN)
                .open(MailboxName.INBOX)) {
            assertThat(inbox.uidValidity()).isEqualTo(validity);
            assertThat(inbox.status().messages()).isEqualTo(2);
            assertThat(inbox.content(1).orElseThrow().toByteArray()).isEqualTo(original);
            assertThat(inbox.message(1).orElseThrow().size()).isEqualTo(size);
            assertThat(inbox.structure(2).orElseThrow().envelope().subject()).isEqualTo("two");
        }
        assertThat(recordOf(1)).as("the index rewritten with the measured sizes").isEqualTo(good);
    }

    /** The index's add record of {@code uid}. */
    private String recordOf(long uid) throws IOException {
        return Files.readAllLines(index(), StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.startsWith("A " + uid + " ")).reduce((a, b) -> b).orElseThrow();
    }
}
