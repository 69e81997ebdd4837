package dev.mailkit.postgres.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Streams a queued message's content into {@code mk_queue_chunk} rows of {@link QueueRows#CHUNK} octets inside the
 * writing transaction: at most one chunk is in the heap. Used by one thread.
 */
final class QueueChunkOutput extends OutputStream {
    private final PreparedStatement insert;
    private final String id;
    private byte[] buf;
    private int count;
    private int seq;
    private long written;

    QueueChunkOutput(Connection c, String id, long sizeHint) throws SQLException {
        this.insert = c.prepareStatement("INSERT INTO mk_queue_chunk (message_id, seq, data) VALUES (?, ?, ?)");
        this.id = id;
        this.buf = new byte[(int) Math.max(512, Math.min(QueueRows.CHUNK, sizeHint + sizeHint / 32 + 64))];
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) {
            grow();
        }
        buf[count++] = (byte) b;
        written++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (count == buf.length) {
                grow();
            }
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
            written += n;
        }
    }

    /** A full buffer: grows up to a chunk (the size hint was low), else goes to the database. */
    private void grow() throws IOException {
        if (buf.length < QueueRows.CHUNK) {
            buf = java.util.Arrays.copyOf(buf, Math.min(QueueRows.CHUNK, buf.length * 2));
        } else {
            flushChunk();
        }
    }

    private void flushChunk() throws IOException {
        if (count == 0) {
            return;
        }
        try {
            insert.setString(1, id);
            insert.setInt(2, seq++);
            insert.setBytes(3, count == buf.length ? buf : java.util.Arrays.copyOf(buf, count));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new java.nio.file.FileAlreadyExistsException(id, null, "a queued message has this id");
            }
            throw QueueRows.failure("cannot store the content of " + id, e);
        }
        count = 0;
    }

    /** Writes what is buffered as the last chunk; returns the content's length. */
    long finish() throws IOException {
        flushChunk();
        return written;
    }

    @Override
    public void close() throws IOException {
        try {
            insert.close();
        } catch (SQLException e) {
            throw new IOException(e);
        }
    }
}
