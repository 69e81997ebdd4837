package dev.mailkit.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a queued message's content from its {@code mk_queue_chunk} rows, fetching a chunk (one short query, the
 * connection returned at once) when a read reaches it: at most one chunk is in the heap. Used by one thread.
 */
final class QueueChunkInput extends InputStream {
    private final Db db;
    private final String id;
    private final long length;
    private byte[] chunk;
    private int pos;
    private int seq;
    private long read;

    QueueChunkInput(Db db, String id, long length, byte[] first) {
        this.db = db;
        this.id = id;
        this.length = length;
        this.chunk = first;
        this.seq = first == null ? 0 : 1;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (read >= length) {
            return -1;
        }
        if (chunk == null || pos >= chunk.length) {
            chunk = fetch(seq++);
            pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        read += n;
        return n;
    }

    private byte[] fetch(int s) throws IOException {
        byte[] data;
        try {
            data = db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT data FROM mk_queue_chunk WHERE message_id = ? AND seq = ?")) {
                    ps.setString(1, id);
                    ps.setInt(2, s);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot read chunk " + s + " of queued message " + id + ": " + e.getMessage(), e);
        }
        if (data == null || data.length == 0) {
            throw new IOException("chunk " + s + " of queued message " + id + " is missing (" + read + " of "
                    + length + " octets read)");
        }
        return data;
    }
}
