package dev.mailkit.relay.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MailAddress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the relay queue's recovery from damaged files: three messages are queued (two small ones in
 * the log, a big one in its own {@code .msg} file with a state record), then the fuzzer damages the log segment or the
 * message file (cut at a point, bytes overwritten, or garbage appended) and the queue is opened again. Properties:
 * recovery never throws; every recovered message is one that was queued, with exactly its envelope and content (a
 * damaged record is dropped or set aside in {@code corrupt/}, never delivered changed); damage after the end of the
 * valid data (appended garbage, a torn write) loses nothing; damage to one file never loses a message in another; and
 * the queue accepts and recovers a new message afterwards. Input: target, mode, position (two bytes, scaled to the
 * file's length), then the bytes written.
 */
class QueueRecoveryFuzzTest {
    private static int counter;

    @FuzzTest
    void recover(byte[] input) throws IOException {
        if (input.length < 4) {
            return;
        }
        Path dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "mk-queue-fuzz-");
        try {
            Map<String, byte[]> contents = new HashMap<>();
            Map<String, QueueFile.Meta> metas = new HashMap<>();
            try (QueueStore store = new QueueStore(dir)) {
                store.recover(); // an empty queue; opens the log for writing
                queue(store, "small1", "Subject: one\r\n\r\nfirst\r\n", 1024, contents, metas);
                queue(store, "small2", "Subject: two\r\n\r\n.second\r\n", 1024, contents, metas);
                StoredMessage big = queue(store, "big", "Subject: three\r\n\r\nthird\r\n", 1 << 20, contents, metas);
                store.append(big, List.of(StateRecords.attempts(1_700_000_000_000L, 1, 1_700_000_060_000L)), true);
            }
            boolean logTarget = (input[0] & 1) == 0;
            Path target = logTarget ? onlyFile(dir.resolve("log")) : dir.resolve("big" + QueueStore.SUFFIX);
            byte[] bytes = Files.readAllBytes(target);
            int mode = (input[1] & 0xFF) % 3;
            int at = (int) ((((input[2] & 0xFF) << 8) | (input[3] & 0xFF)) * (long) bytes.length / 65535);
            byte[] data = Arrays.copyOfRange(input, 4, input.length);
            byte[] damaged = switch (mode) {
                case 0 -> Arrays.copyOf(bytes, at); // cut
                case 1 -> { // overwrite
                    byte[] b = bytes.clone();
                    for (int i = 0; i < data.length && at + i < b.length; i++) {
                        b[at + i] = data[i];
                    }
                    yield b;
                }
                default -> { // garbage after the end
                    byte[] b = Arrays.copyOf(bytes, bytes.length + data.length);
                    System.arraycopy(data, 0, b, bytes.length, data.length);
                    yield b;
                }
            };
            Files.write(target, damaged);

            List<String> recovered = new ArrayList<>();
            try (QueueStore store = new QueueStore(dir)) {
                for (QueueStore.Recovered r : store.recover()) {
                    StoredMessage m = r.message;
                    assertThat(metas).as("recovered an unknown message").containsKey(m.id);
                    QueueFile.Meta meta = metas.get(m.id);
                    assertThat(m.reversePath).isEqualTo(meta.reversePath);
                    assertThat(m.recipients).isEqualTo(meta.recipients);
                    try (InputStream in = store.content(m)) {
                        assertThat(in.readAllBytes()).as("content of %s", m.id).isEqualTo(contents.get(m.id));
                    }
                    recovered.add(m.id);
                }
                assertThat(recovered).doesNotHaveDuplicates();
                if (mode == 2 || Arrays.equals(damaged, bytes)) {
                    assertThat(recovered).as("nothing lost to damage after the end")
                            .containsExactlyInAnyOrder("small1", "small2", "big");
                }
                if (logTarget) {
                    assertThat(recovered).as("the big message's own file was not damaged").contains("big");
                } else {
                    assertThat(recovered).as("the log was not damaged").contains("small1", "small2");
                }
                queue(store, "after", "Subject: after\r\n\r\nok\r\n", 1024, contents, metas);
            }
            try (QueueStore store = new QueueStore(dir)) {
                assertThat(store.recover().stream().map(r -> r.message.id)).contains("after");
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }

    private static StoredMessage queue(QueueStore store, String id, String text, long sizeHint,
                                       Map<String, byte[]> contents, Map<String, QueueFile.Meta> metas)
            throws IOException {
        QueueFile.Meta meta = new QueueFile.Meta(id, Instant.parse("2024-01-01T00:00:00Z"),
                MailAddress.parse("sender@origin.test"), Map.of("BODY", "8BITMIME"),
                List.of(MailAddress.parse("a@remote.test"), MailAddress.parse("b@remote.test")),
                List.of(Map.of("NOTIFY", "FAILURE"), Map.of()), "fuzz", false);
        byte[] content = text.getBytes(StandardCharsets.US_ASCII);
        QueueStore.Prepared p = store.write(meta, out -> out.write(content), sizeHint);
        StoredMessage m = store.commit(p);
        contents.put(id, content);
        metas.put(id, meta);
        return m;
    }
}
