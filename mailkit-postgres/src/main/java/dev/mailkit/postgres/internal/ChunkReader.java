package dev.mailkit.postgres.internal;

import dev.mailkit.core.MessageSource;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a stored message by position: the header section from memory, the body from its chunk rows, fetching a
 * chunk (one short query, the connection returned at once) when a read reaches it and keeping the last one. Several
 * threads may read at once. At most two chunks are in the heap.
 */
final class ChunkReader implements MessageSource.RandomAccessReader {
    private final Db db;
    private final long bodyId;
    private final int chunkSize;
    private final byte[] header;
    private final byte[] first;
    private final ReentrantLock lock = new ReentrantLock();
    private int cachedSeq = -1; // guarded by lock
    private byte[] cached;

    ChunkReader(Db db, long bodyId, int chunkSize, byte[] header, byte[] first) {
        this.db = db;
        this.bodyId = bodyId;
        this.chunkSize = chunkSize;
        this.header = header;
        this.first = first;
    }

    @Override
    public int read(long position, byte[] b, int off, int len) throws IOException {
        if (position < header.length) {
            int n = (int) Math.min(len, header.length - position);
            System.arraycopy(header, (int) position, b, off, n);
            return n;
        }
        long p = position - header.length;
        int seq = (int) (p / chunkSize);
        int at = (int) (p % chunkSize);
        byte[] chunk = chunk(seq);
        if (at >= chunk.length) {
            throw new IOException("chunk " + seq + " of body " + bodyId + " is shorter than expected");
        }
        int n = Math.min(len, chunk.length - at);
        System.arraycopy(chunk, at, b, off, n);
        return n;
    }

    private byte[] chunk(int seq) throws IOException {
        if (seq == 0) {
            return first;
        }
        lock.lock();
        try {
            if (seq == cachedSeq) {
                return cached;
            }
            byte[] data = db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT data FROM mk_chunk WHERE body_id = ? AND seq = ?")) {
                    ps.setLong(1, bodyId);
                    ps.setInt(2, seq);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                }
            });
            if (data == null) {
                throw new IOException("chunk " + seq + " of body " + bodyId + " is missing");
            }
            cachedSeq = seq;
            cached = data;
            return data;
        } catch (SQLException e) {
            throw new IOException("cannot read chunk " + seq + " of body " + bodyId + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }
}
