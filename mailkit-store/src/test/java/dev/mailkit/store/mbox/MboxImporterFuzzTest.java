package dev.mailkit.store.mbox;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the mbox importer, both ways. First the input as an mbox file: either an
 * {@link IOException} (not an mbox) or messages, the same whether read at once or in short reads, each with CRLF line
 * ends only. Then the input as messages (split at 0xFF bytes): exported with {@link MboxExporter} and imported again,
 * exactly as many messages come back (a {@code From } line in a body never splits a message, and none are merged), and a
 * second export and import gives the same messages, flags and dates as the first (the round trip is stable).
 */
class MboxImporterFuzzTest {
    record Read(byte[] content, Flags flags, Instant date) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Read r && Arrays.equals(content, r.content) && flags.equals(r.flags)
                    && java.util.Objects.equals(date, r.date);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return new String(content, java.nio.charset.StandardCharsets.ISO_8859_1) + " " + flags + " " + date;
        }
    }

    @FuzzTest
    void mbox(byte[] input) throws IOException {
        List<Read> whole = read(new ByteArrayInputStream(input));
        List<Read> trickled = read(new FilterInputStream(new ByteArrayInputStream(input)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 3));
            }
        });
        assertThat(trickled).isEqualTo(whole);
        if (whole != null) {
            for (Read r : whole) {
                assertCrlf(r.content);
            }
        }

        List<byte[]> messages = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == (byte) 0xFF) {
                messages.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        Instant date = Instant.parse("2024-02-03T04:05:06Z");
        ByteArrayOutputStream mbox = new ByteArrayOutputStream();
        MboxExporter exporter = MboxExporter.create();
        for (byte[] m : messages) {
            exporter.write(MessageSource.of(m), Flags.NONE, date, mbox);
        }
        List<Read> once = read(new ByteArrayInputStream(mbox.toByteArray()));
        assertThat(once).as("messages read back from %s", mbox).hasSize(messages.size());
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        for (Read r : once) {
            exporter.write(MessageSource.of(r.content), r.flags, r.date, again);
        }
        assertThat(read(new ByteArrayInputStream(again.toByteArray()))).isEqualTo(once);
    }

    private static List<Read> read(InputStream in) throws IOException {
        List<Read> out = new ArrayList<>();
        try {
            MboxImporter.create().read(in, (m, flags, date) -> out.add(new Read(m.toByteArray(), flags, date)));
        } catch (IOException e) {
            assertThat(e.getMessage()).contains("mbox");
            return null;
        }
        return out;
    }

    private static void assertCrlf(byte[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n') {
                assertThat(i > 0 && raw[i - 1] == '\r').as("bare LF at %d", i).isTrue();
            }
        }
    }
}
