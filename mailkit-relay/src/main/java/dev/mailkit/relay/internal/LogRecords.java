package dev.mailkit.relay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * The record format of the relay log ({@link SegmentLog}), written and read here only: {@code type(1) length(4)
 * crc32(4) payload}, {@code M} a message (id, envelope text, content; its payload parsed by {@link MessageRecords}),
 * {@code C} its commit, {@code D} done, {@code X} moved to a file of its own (each of those three with the id as
 * payload). Stateless.
 */
final class LogRecords {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    /** The bytes before a record's payload. */
    static final int HEADER = 9;

    private LogRecords() {
    }

    /**
     * The header and the start of the payload of a message record (everything but the content, which follows it
     * unchanged), with the checksum over the whole payload.
     */
    static ByteBuffer messageHeader(String id, byte[] head, byte[] content, int off, int len) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        int payload = 2 + idBytes.length + 4 + head.length + len;
        ByteBuffer b = ByteBuffer.allocate(HEADER + 6 + idBytes.length + head.length);
        b.put((byte) 'M').putInt(payload).putInt(0);
        b.putShort((short) idBytes.length).put(idBytes).putInt(head.length).put(head);
        CRC32 c = new CRC32();
        c.update(b.array(), HEADER, b.position() - HEADER);
        c.update(content, off, len);
        b.putInt(5, (int) c.getValue());
        b.flip();
        return b;
    }

    /** A commit ({@code C}), done ({@code D}) or moved ({@code X}) record for the id. */
    static ByteBuffer mark(char type, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(HEADER + idBytes.length);
        CRC32 c = new CRC32();
        c.update(idBytes);
        b.put((byte) type).putInt(idBytes.length).putInt((int) c.getValue()).put(idBytes).flip();
        return b;
    }

    /** Reads the records of a segment; returns the end of the last intact record. */
    static long scan(Segment s, Map<String, RecoveredMessage> messages, Set<String> committed, Set<String> finished)
            throws IOException {
        long size = s.channel.size();
        long pos = 0;
        ByteBuffer head = ByteBuffer.allocate(HEADER);
        while (pos + HEADER <= size) {
            head.clear();
            readFully(s.channel, head, pos);
            head.flip();
            byte type = head.get();
            int len = head.getInt();
            int crc = head.getInt();
            if (len < 0 || pos + HEADER + len > size || "MCDX".indexOf(type) < 0) {
                return pos;
            }
            if (len > 32 * 1024 * 1024) {
                return pos; // larger than any record this log writes: damage
            }
            ByteBuffer payload = ByteBuffer.allocate(len);
            readFully(s.channel, payload, pos + HEADER);
            CRC32 c = new CRC32();
            c.update(payload.array(), 0, len);
            if ((int) c.getValue() != crc) {
                return pos;
            }
            byte[] first = payload.array();
            if (type == 'M') {
                RecoveredMessage m = MessageRecords.parse(first, s, pos + HEADER);
                if (m == null) {
                    LOG.error("relay log {}: message record at byte {} has inner lengths that do not fit its length {}",
                            s.path, pos, len);
                    return pos; // its checksum matched by chance (e.g. zeroed bytes): damage like any other
                }
                messages.put(m.id, m);
            } else {
                if (len == 0) {
                    return pos; // no id: never written, so damage (a zeroed header's CRC 0 matches an empty payload)
                }
                String id = new String(first, StandardCharsets.US_ASCII);
                if (type == 'C') {
                    committed.add(id);
                } else {
                    finished.add(id);
                }
            }
            pos += HEADER + len;
        }
        return pos;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of relay log segment");
            }
            p += n;
        }
    }
}
