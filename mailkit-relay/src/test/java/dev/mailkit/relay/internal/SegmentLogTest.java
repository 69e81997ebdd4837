package dev.mailkit.relay.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay log's recovery rules, torn records and segment collection, without the rest of the relay. */
class SegmentLogTest {
    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String read(RecoveredMessage m) throws Exception {
        ByteBuffer b = ByteBuffer.allocate((int) m.contentLength);
        m.segment.channel.read(b, m.contentOffset);
        return new String(b.array(), StandardCharsets.UTF_8);
    }

    List<String> segments() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Appends a message and, unless {@code commit} is false, its commit record; synced. */
    static AppendedMessage put(SegmentLog log, String id, String content, boolean commit) throws Exception {
        AppendedMessage a = log.appendMessage(id, bytes("id " + id + "\n"), bytes(content), 0,
                content.length());
        long end = commit ? log.appendMark('C', id) : a.end;
        log.sync(end);
        if (commit) {
            log.committed(a.segment);
        }
        return a;
    }

    @Test
    void onlyCommittedMessagesThatAreNeitherDoneNorMovedComeBack() throws Exception {
        SegmentLog log = new SegmentLog(dir);
        assertThat(log.recover()).isEmpty();
        put(log, "LIVE", "the live one", true);
        put(log, "UNCOMMITTED", "prepared, never committed", false);
        put(log, "DONE", "delivered", true);
        put(log, "MOVED", "moved to its own file", true);
        log.sync(log.appendMark('D', "DONE"));
        log.sync(log.appendMark('X', "MOVED"));
        // a crash: the log is not closed; a new instance reads what is on disk
        SegmentLog after = new SegmentLog(dir);
        List<RecoveredMessage> live = after.recover();
        assertThat(live).extracting(m -> m.id).containsExactly("LIVE");
        assertThat(read(live.get(0))).isEqualTo("the live one");
        assertThat(live.get(0).head).isEqualTo("id LIVE\n");
        log.close();
        after.close();
    }

    @Test
    void aRecordTornByACrashIsCutOffAndTheLogGoesOn() throws Exception {
        SegmentLog log = new SegmentLog(dir);
        log.recover();
        put(log, "A", "first", true);
        AppendedMessage b = log.appendMessage("B", bytes("id B\n"), bytes("second, torn"), 0, 12);
        log.sync(b.end);
        Path seg = b.segment.path; // the first and only segment: B's end is also its length
        try (var ch = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {'C', 0, 0, 0, 1})); // a commit record cut after 5 of its bytes
        }
        long torn = Files.size(seg);
        SegmentLog after = new SegmentLog(dir);
        List<RecoveredMessage> live = after.recover();
        assertThat(live).extracting(m -> m.id).containsExactly("A");
        assertThat(torn).isEqualTo(b.end + 5);
        assertThat(Files.size(seg)).as("cut back to the last intact record").isEqualTo(b.end);
        // the recovered log takes new records in a new segment and recovers them again
        put(after, "C", "third", true);
        SegmentLog third = new SegmentLog(dir);
        assertThat(third.recover()).extracting(m -> m.id).containsExactly("A", "C");
        log.close();
        after.close();
        third.close();
    }

    @Test
    void segmentsAreDeletedOldestFirstOnceNothingInThemIsNeeded() throws Exception {
        SegmentLog log = new SegmentLog(dir, 200); // a new segment every 200 bytes
        log.recover();
        AppendedMessage first = put(log, "M0", "x".repeat(150), true);
        AppendedMessage[] rest = new AppendedMessage[5];
        for (int i = 1; i <= 5; i++) {
            rest[i - 1] = put(log, "M" + i, "y".repeat(150), true);
        }
        assertThat(log.segmentCount()).isGreaterThanOrEqualTo(6);
        for (int i = 1; i <= 5; i++) {
            log.appendMark('D', "M" + i);
            log.released(rest[i - 1].segment);
        }
        assertThat(log.segmentCount()).as("M0 is live in the oldest segment: nothing after it may go either")
                .isGreaterThanOrEqualTo(6);
        assertThat(log.acquire(first.segment)).isTrue();
        log.sync(log.appendMark('D', "M0"));
        log.released(first.segment);
        assertThat(log.segmentCount()).as("a reader still holds the oldest segment").isGreaterThanOrEqualTo(6);
        log.releaseReader(first.segment);
        assertThat(log.segmentCount()).isEqualTo(1);
        assertThat(segments()).hasSize(1);
        assertThat(log.acquire(first.segment)).isFalse();
        SegmentLog after = new SegmentLog(dir, 200);
        assertThat(after.recover()).isEmpty();
        log.close();
        after.close();
    }
}
