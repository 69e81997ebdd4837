package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damage to the queue's files (the fuzz findings of QueueRecoveryFuzzTest, readable): a queue file whose envelope or
 * content changed is refused and set aside in {@code corrupt/} (its CRC-32 no longer matches), a log record whose
 * checksum matches but whose inner lengths do not fit ends the scan, and queue files of the earlier format (MKQ1,
 * no checksum) are still recovered exactly.
 */
class QueueDamageTest {
    private static final byte[] CONTENT = "Subject: big\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private static QueueFile.Meta meta(String id) {
        return new QueueFile.Meta(id, Instant.parse("2024-01-01T00:00:00Z"), MailAddress.parse("sender@origin.test"),
                Map.of("BODY", "8BITMIME"), List.of(MailAddress.parse("a@remote.test"), MailAddress.parse("b@remote.test")),
                List.of(Map.of("NOTIFY", "FAILURE"), Map.of()), "test", false);
    }

    /** Queues a message in a file of its own (the size hint is over the log's limit). */
    private void queueFile(String id) throws IOException {
        try (QueueStore store = new QueueStore(dir)) {
            store.recover();
            store.commit(store.write(meta(id), out -> out.write(CONTENT), QueueStore.LOG_LIMIT + 1L));
        }
    }

    private static void replace(Path file, String from, String to) throws IOException {
        byte[] b = Files.readAllBytes(file);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        assertThat(s).contains(from);
        Files.write(file, s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Opens the queue again; every message it returns must have exactly the content queued. */
    private List<QueueStore.Recovered> recover() throws IOException {
        try (QueueStore store = new QueueStore(dir)) {
            List<QueueStore.Recovered> back = store.recover();
            for (QueueStore.Recovered r : back) {
                try (InputStream in = store.content(r.message)) {
                    assertThat(in.readAllBytes()).as("content of %s", r.message.id).isEqualTo(CONTENT);
                }
            }
            return back;
        }
    }

    @Test
    void aQueueFileWithARecipientLineDamagedIsRefusedAndSetAside() throws Exception {
        queueFile("q1");
        replace(dir.resolve("q1.msg"), "rcpt b@remote.test", "rcpX b@remote.test"); // an unknown key: was ignored
        assertThat(recover()).isEmpty();
        assertThat(dir.resolve("corrupt").resolve("q1.msg")).exists();
        assertThat(dir.resolve("q1.msg")).doesNotExist();
    }

    @Test
    void aQueueFileWithAChangedSenderOrContentByteIsRefused() throws Exception {
        queueFile("q2");
        queueFile("q3");
        replace(dir.resolve("q2.msg"), "from sender@origin.test", "from sender@origin.tesT");
        replace(dir.resolve("q3.msg"), "body", "bodY");
        assertThat(recover()).isEmpty();
        assertThat(dir.resolve("corrupt").resolve("q2.msg")).exists();
        assertThat(dir.resolve("corrupt").resolve("q3.msg")).exists();
    }

    @Test
    void anUndamagedQueueFileWithStateRecordsComesBackExactly() throws Exception {
        queueFile("q4");
        Files.write(dir.resolve("q4.msg"), QueueFile.record("T 1 1 2"), StandardOpenOption.APPEND);
        List<QueueStore.Recovered> back = recover();
        assertThat(back).hasSize(1);
        assertThat(back.get(0).records).containsExactly("T 1 1 2");
    }

    /** A file written by the format before the checksum (first line MKQ1, 33 bytes): read as it was. */
    @Test
    void aQueueFileOfTheEarlierFormatIsStillRecovered() throws Exception {
        Files.createDirectories(dir);
        byte[] envelope = QueueFile.envelope(meta("old1"));
        String first = String.format("MKQ1 %010d %016d\n", envelope.length, CONTENT.length);
        assertThat(first).hasSize(33);
        try (var out = Files.newOutputStream(dir.resolve("old1.msg"))) {
            out.write(first.getBytes(StandardCharsets.US_ASCII));
            out.write(envelope);
            out.write(CONTENT);
            out.write(QueueFile.record("T 1700000000000 1 1700000060000"));
        }
        List<QueueStore.Recovered> back = recover();
        assertThat(back).hasSize(1);
        StoredMessage m = back.get(0).message;
        assertThat(m.id).isEqualTo("old1");
        assertThat(m.reversePath).isEqualTo(MailAddress.parse("sender@origin.test"));
        assertThat(m.recipients).isEqualTo(meta("old1").recipients);
        assertThat(m.recipientParameters).isEqualTo(meta("old1").recipientParameters);
        assertThat(back.get(0).records).containsExactly("T 1700000000000 1 1700000060000");
    }

    /** A zeroed record header: type M, length 0, CRC 0 (the CRC of nothing): used to throw BufferUnderflowException. */
    @Test
    void aZeroLengthMessageRecordWithAMatchingChecksumEndsTheScan() throws Exception {
        damagedLogRecordEndsTheScan(new byte[0]);
    }

    /** The id length points past the record (the checksum matches): the scan ends there instead of failing. */
    @Test
    void aMessageRecordWhoseIdLengthDoesNotFitEndsTheScan() throws Exception {
        damagedLogRecordEndsTheScan(ByteBuffer.allocate(8).putShort((short) 500).put("ab".getBytes()).putInt(0).array());
    }

    /** The envelope length points past the record (the checksum matches). */
    @Test
    void aMessageRecordWhoseEnvelopeLengthDoesNotFitEndsTheScan() throws Exception {
        damagedLogRecordEndsTheScan(ByteBuffer.allocate(8).putShort((short) 2).put("ab".getBytes()).putInt(1000)
                .array());
    }

    private void damagedLogRecordEndsTheScan(byte[] payload) throws Exception {
        try (QueueStore store = new QueueStore(dir)) {
            store.recover();
            store.commit(store.write(meta("small"), out -> out.write(CONTENT), 1024));
        }
        Path segment;
        try (Stream<Path> s = Files.list(dir.resolve("log"))) {
            segment = s.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        long intact = Files.size(segment);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer record = ByteBuffer.allocate(9 + payload.length).put((byte) 'M').putInt(payload.length)
                .putInt((int) crc.getValue()).put(payload);
        Files.write(segment, record.array(), StandardOpenOption.APPEND);

        List<QueueStore.Recovered> back = recover();
        assertThat(back).extracting(r -> r.message.id).containsExactly("small");
        if (Files.exists(segment)) {
            assertThat(Files.size(segment)).as("the damaged record is cut off").isEqualTo(intact);
        }
    }
}
