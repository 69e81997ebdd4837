package dev.mailkit.store.maildir;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the Maildir index journal reader ({@code mailkit-index}) on its own, fast. Properties:
 * the file reads as a state or fails with {@link IndexJournal.CorruptIndexException} (the store then rebuilds the index;
 * any other exception would leave the mailbox unopenable); a state read has UIDs in ascending order within 32 bits,
 * system flags within their five bits, safe file names only, and a UIDVALIDITY within 32 bits.
 */
class IndexJournalFuzzTest {
    private static final Path FILE = file();

    private static Path file() {
        try {
            Path dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                    : Path.of(System.getProperty("java.io.tmpdir")), "mk-index-fuzz-");
            dir.toFile().deleteOnExit();
            Path f = dir.resolve(IndexJournal.FILE);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void journal(byte[] input) throws IOException {
        Files.write(FILE, input);
        IndexJournal.State st;
        try {
            st = IndexJournal.read(FILE);
        } catch (IndexJournal.CorruptIndexException e) {
            return;
        }
        assertThat(st).isNotNull();
        assertThat(st.uidValidity).isBetween(1L, 0xFFFF_FFFFL);
        long last = 0;
        for (int i = 0; i < st.count; i++) {
            assertThat(st.uid[i]).isGreaterThan(last).isLessThanOrEqualTo(0xFFFF_FFFFL);
            last = st.uid[i];
            assertThat(st.flags[i]).isBetween(0, 31);
            assertThat(MaildirFileName.isSafe(st.base[i])).isTrue();
        }
    }
}
