package dev.mailkit.relay.internal;

/**
 * Where {@link SegmentLog#appendMessage} put a message record: its segment, the offset of the content in it, and
 * the log position to sync to. Immutable.
 */
public final class AppendedMessage {
    public final Segment segment;
    public final long contentOffset;
    final long end;

    AppendedMessage(Segment segment, long contentOffset, long end) {
        this.segment = segment;
        this.contentOffset = contentOffset;
        this.end = end;
    }
}
