package dev.mailkit.relay.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Parses the payload of a message record of the relay log ({@link SegmentLog}), checking that the inner lengths fit:
 * a record whose checksum matches but whose id or envelope length points outside it is damage, not a message.
 * Stateless and thread-safe.
 */
final class MessageRecords {
    private MessageRecords() {
    }

    /**
     * The message in a record's payload {@code idLength(2) id headLength(4) head content} that starts at
     * {@code payloadOffset} in segment {@code s}, or null if the inner lengths do not fit the payload (the record is
     * damaged even though its checksum matched, as a zeroed header's CRC 0 matches an empty payload).
     */
    static RecoveredMessage parse(byte[] payload, Segment s, long payloadOffset) {
        int len = payload.length;
        if (len < 6) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        int idLen = b.getShort() & 0xffff;
        if (idLen == 0 || 6L + idLen > len) {
            return null;
        }
        b.position(2 + idLen);
        int headLen = b.getInt();
        if (headLen < 0 || 6L + idLen + headLen > len) {
            return null;
        }
        String id = new String(payload, 2, idLen, StandardCharsets.US_ASCII);
        String text = new String(payload, 6 + idLen, headLen, StandardCharsets.UTF_8);
        long contentOffset = payloadOffset + 6 + idLen + headLen;
        return new RecoveredMessage(id, text, s, contentOffset, len - (6L + idLen + headLen));
    }
}
