package dev.mailkit.relay.internal;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One segment file of the relay log ({@link SegmentLog}): its sequence number, path and channel, and how many
 * messages in it are live, prepared or being read. The counters are guarded by the log's state lock.
 */
public final class Segment {
    final long seq;
    final Path path;
    final FileChannel channel; // read and write (positional reads are thread-safe)
    int live;
    int prepared;
    int readers;
    boolean deleted;

    Segment(long seq, Path path, FileChannel channel) {
        this.seq = seq;
        this.path = path;
        this.channel = channel;
    }

    @Override
    public String toString() {
        return path.getFileName().toString();
    }
}
