package dev.mailkit.relay.internal;

/** A committed message record of the relay log found by {@link SegmentLog#recover()}. Immutable. */
public final class RecoveredMessage {
    public final String id;
    public final String head;
    public final Segment segment;
    public final long contentOffset;
    public final long contentLength;

    RecoveredMessage(String id, String head, Segment segment, long contentOffset, long contentLength) {
        this.id = id;
        this.head = head;
        this.segment = segment;
        this.contentOffset = contentOffset;
        this.contentLength = contentLength;
    }
}
