package dev.mailkit.core.internal;

import java.io.IOException;
import java.util.List;

/** A sequence of segments read as one run of bytes. Immutable; thread-safe if the segments are. */
public final class SegmentedData {
    private final Segment[] segments;
    private final long[] starts;
    private final long length;

    /** Joins the segments in order. */
    public SegmentedData(List<Segment> parts) {
        this.segments = parts.toArray(new Segment[0]);
        this.starts = new long[segments.length];
        long pos = 0;
        for (int i = 0; i < segments.length; i++) {
            starts[i] = pos;
            pos += segments[i].length();
        }
        this.length = pos;
    }

    /** The segments, in order. */
    public List<Segment> segments() {
        return List.of(segments);
    }

    /** The total length. */
    public long length() {
        return length;
    }

    /** Reads at an absolute position; returns -1 at or past the end. */
    public int read(long position, byte[] b, int off, int len) throws IOException {
        if (position >= length || len == 0) {
            return position >= length ? -1 : 0;
        }
        int i = segments.length - 1;
        while (starts[i] > position) {
            i--;
        }
        int total = 0;
        while (i < segments.length && total < len) {
            long within = position + total - starts[i];
            if (within >= segments[i].length()) {
                i++;
                continue;
            }
            int n = segments[i].read(within, b, off + total, len - total);
            if (n <= 0) {
                i++;
                continue;
            }
            total += n;
        }
        return total == 0 ? -1 : total;
    }
}
