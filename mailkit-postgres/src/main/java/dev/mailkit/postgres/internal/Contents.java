package dev.mailkit.postgres.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.mime.MessageStructure;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Message content in the database: each stored message is an {@code mk_content} row (its own header section, its
 * parsed MIME structure, and a reference to a body), and each distinct body (what follows the header section) is an
 * {@code mk_body} row found by its SHA-256, with the bytes in {@code mk_chunk} rows of {@value #CHUNK} octets. One
 * message delivered to many recipients differs only in the header fields the delivery prepends
 * ({@code Return-Path:}, {@code Delivered-To:}), so its body is stored once; copies between mailboxes share the
 * content row itself. Content is written and read a chunk at a time: at most one chunk of a message is in the heap.
 * Rows nobody refers to any more are deleted by {@link #collectGarbage}. Thread-safe.
 */
public final class Contents {
    /** The size of a chunk row. */
    public static final int CHUNK = 256 * 1024;
    /** The longest header section kept apart from the body; a longer one stays with the body. */
    static final int MAX_HEADER = 64 * 1024;

    private final Db db;
    private final StructureCache structures;

    /** Content in {@code db}, with a node-local cache of structures of at most {@code structureCacheBytes}. */
    public Contents(Db db, long structureCacheBytes) {
        this.db = db;
        this.structures = new StructureCache(structureCacheBytes);
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * Stores a message (parsed for its structure on the way) and returns its content id. Its body is shared with any
     * message stored before with the same body. Committed when this returns (durable once the commit of a message
     * that refers to it is); an id no message refers to is collected.
     */
    public long store(MessageSource message) throws IOException, SQLException {
        long size = message.size();
        byte[] structure = MessageStructure.parse(message).toBytes();
        byte[] header = headerSection(message);
        long bodySize = size - header.length;
        byte[] small = null;
        byte[] sha;
        if (bodySize <= CHUNK) {
            small = new byte[(int) bodySize];
            try (InputStream in = message.openStream()) {
                in.skipNBytes(header.length);
                in.readNBytes(small, 0, small.length);
            }
            sha = sha256().digest(small);
        } else {
            MessageDigest d = sha256();
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = message.openStream()) {
                in.skipNBytes(header.length);
                for (int n; (n = in.read(buf)) > 0; ) {
                    d.update(buf, 0, n);
                }
            }
            sha = d.digest();
        }
        byte[] firstChunk = small;
        long id = small != null ? db.autoCommit(c -> storeSmall(c, sha, header, firstChunk, size, structure))
                : db.inTransaction(c -> storeLarge(c, sha, bodySize, message, header, size, structure));
        structures.put(id, structure);
        return id;
    }

    /** A body of several chunks, written a chunk at a time, and the content row, in the caller's transaction. */
    private static long storeLarge(Connection c, byte[] sha, long bodySize, MessageSource message, byte[] header,
                                   long size, byte[] structure) throws SQLException {
        // No wait for this commit's WAL flush: the content matters only once a message refers to it, and that
        // message's commit comes later and is synchronous; WAL is flushed in order, so when that commit is
        // acknowledged this one is durable too (and if neither is, nothing was acknowledged). One fsync per
        // delivery instead of two.
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit TO OFF");
        }
        long bodyId;
        boolean inserted;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_body (sha256, size, chunk_size) "
                + "VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET last_used = now() "
                + "RETURNING id, (xmax = 0)")) {
            ps.setBytes(1, sha);
            ps.setLong(2, bodySize);
            ps.setInt(3, CHUNK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                bodyId = rs.getLong(1);
                inserted = rs.getBoolean(2);
            }
        }
        if (inserted) {
            writeChunks(c, bodyId, message, header.length);
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_content (header, body_id, size, structure) "
                + "VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setBytes(1, header);
            ps.setLong(2, bodyId);
            ps.setLong(3, size);
            ps.setBytes(4, structure);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A body of one chunk at most, and the content row, in one statement and one round trip (autocommit): the body
     * row is found by its SHA-256 or inserted with its chunk, the content row refers to it, and the statement's
     * transaction commits without waiting for its WAL flush, as the larger path's does (see {@link #store}).
     */
    private static long storeSmall(Connection c, byte[] sha, byte[] header, byte[] body, long size, byte[] structure)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH b AS (INSERT INTO mk_body (sha256, size, chunk_size) "
                + "VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET last_used = now() "
                + "RETURNING id, (xmax = 0) AS fresh), "
                + "ch AS (INSERT INTO mk_chunk (body_id, seq, data) SELECT id, 0, ? FROM b WHERE fresh) "
                + "INSERT INTO mk_content (header, body_id, size, structure) SELECT ?, b.id, ?, ? FROM b, "
                + "(SELECT set_config('synchronous_commit', 'off', true)) s RETURNING id")) {
            ps.setBytes(1, sha);
            ps.setLong(2, body.length);
            ps.setInt(3, CHUNK);
            ps.setBytes(4, body);
            ps.setBytes(5, header);
            ps.setLong(6, size);
            ps.setBytes(7, structure);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void writeChunks(Connection c, long bodyId, MessageSource message, int skip) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_chunk (body_id, seq, data) VALUES (?, ?, ?)")) {
            ps.setLong(1, bodyId);
            byte[] buf = new byte[CHUNK];
            try (InputStream in = message.openStream()) {
                in.skipNBytes(skip);
                for (int seq = 0; ; seq++) {
                    int n = in.readNBytes(buf, 0, CHUNK);
                    if (n == 0) {
                        break;
                    }
                    ps.setInt(2, seq);
                    ps.setBytes(3, n == CHUNK ? buf : java.util.Arrays.copyOf(buf, n));
                    ps.executeUpdate();
                    if (n < CHUNK) {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new SQLException("cannot read the message being stored: " + e.getMessage(), "58030", e);
            }
        }
    }

    /** The header section (through the blank line), or nothing if it is longer than {@link #MAX_HEADER}. */
    static byte[] headerSection(MessageSource message) throws IOException {
        byte[] head;
        try (InputStream in = message.openStream()) {
            head = in.readNBytes((int) Math.min(MAX_HEADER, message.size()));
        }
        if (head.length >= 2 && head[0] == '\r' && head[1] == '\n') {
            return java.util.Arrays.copyOf(head, 2);
        }
        for (int i = 0; i + 3 < head.length; i++) {
            if (head[i] == '\r' && head[i + 1] == '\n' && head[i + 2] == '\r' && head[i + 3] == '\n') {
                return java.util.Arrays.copyOf(head, i + 4);
            }
        }
        return new byte[0];
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- reading

    /**
     * A stored message: in memory if its body is one chunk, otherwise read a chunk at a time as it is streamed (a
     * ranged read fetches only the chunks it needs).
     */
    public MessageSource open(long id) throws IOException {
        try {
            return db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT c.header, b.id, b.size, b.chunk_size, ch.data "
                        + "FROM mk_content c JOIN mk_body b ON b.id = c.body_id "
                        + "LEFT JOIN mk_chunk ch ON ch.body_id = b.id AND ch.seq = 0 WHERE c.id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("message content " + id + " does not exist", "02000");
                        }
                        byte[] header = rs.getBytes(1);
                        long bodyId = rs.getLong(2);
                        long bodySize = rs.getLong(3);
                        int chunkSize = rs.getInt(4);
                        byte[] first = rs.getBytes(5);
                        if (first == null) {
                            first = new byte[0];
                        }
                        if (bodySize <= first.length) {
                            byte[] all = new byte[header.length + first.length];
                            System.arraycopy(header, 0, all, 0, header.length);
                            System.arraycopy(first, 0, all, header.length, first.length);
                            return MessageSource.of(all);
                        }
                        ChunkReader r = new ChunkReader(db, bodyId, chunkSize, header, first);
                        return MessageSource.ofRandomAccess(header.length + bodySize, r, null);
                    }
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot read message content " + id + ": " + e.getMessage(), e);
        }
    }

    /** The cached structure of a content row, or null. */
    public byte[] structure(long id) {
        byte[] s = structures.get(id);
        if (s != null) {
            return s;
        }
        try {
            s = db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT structure FROM mk_content WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                }
            });
        } catch (SQLException e) {
            return null; // parsed again from the content, which reports the failure if it persists
        }
        if (s != null) {
            structures.put(id, s);
        }
        return s;
    }

    /** Fetches the structures of many content rows at once into the node's cache (for a FETCH of many messages). */
    public void prefetchStructures(long[] ids) {
        if (ids.length == 0) {
            return;
        }
        try {
            db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, structure FROM mk_content WHERE id = ANY (?) AND structure IS NOT NULL")) {
                    Long[] boxed = new Long[ids.length];
                    for (int i = 0; i < ids.length; i++) {
                        boxed[i] = ids[i];
                    }
                    ps.setArray(1, c.createArrayOf("bigint", boxed));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            structures.put(rs.getLong(1), rs.getBytes(2));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            // each structure is then read on its own
        }
    }

    /** Whether the node's cache holds a content row's structure. */
    public boolean isStructureCached(long id) {
        return structures.get(id) != null;
    }

    /** Records the structure parsed from a content row (rows written before structures were stored). */
    public void putStructure(long id, byte[] structure) {
        structures.put(id, structure);
        try {
            db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE mk_content SET structure = ? WHERE id = ?")) {
                    ps.setBytes(1, structure);
                    ps.setLong(2, id);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            // kept in the node's cache; parsed again elsewhere
        }
    }

    // ---------------------------------------------------------------------------------------------- garbage

    /**
     * Deletes content rows no message refers to and bodies no content row refers to, if older than
     * {@code graceSeconds} (content being delivered is not referred to until its message is committed). Returns the
     * number of content rows and bodies deleted.
     */
    public int collectGarbage(long graceSeconds) throws SQLException {
        return db.inTransaction(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_content c WHERE c.created < now() - "
                    + "make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM mk_message m WHERE m.content_id = c.id)")) {
                ps.setLong(1, graceSeconds);
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_body b WHERE b.last_used < now() - "
                    + "make_interval(secs => ?) AND NOT EXISTS (SELECT 1 FROM mk_content c WHERE c.body_id = b.id)")) {
                ps.setLong(1, graceSeconds);
                n += ps.executeUpdate();
            }
            return n;
        });
    }

    /** A node-local cache of structures, least recently used first out, bounded in bytes. */
    private static final class StructureCache {
        private final long maxBytes;
        private final ReentrantLock lock = new ReentrantLock();
        private final LinkedHashMap<Long, byte[]> map = new LinkedHashMap<>(1024, 0.75f, true);
        private long bytes;

        StructureCache(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        byte[] get(long id) {
            lock.lock();
            try {
                return map.get(id);
            } finally {
                lock.unlock();
            }
        }

        void put(long id, byte[] s) {
            if (s.length + 64L > maxBytes) {
                return;
            }
            lock.lock();
            try {
                byte[] old = map.put(id, s);
                bytes += s.length + 64L - (old == null ? 0 : old.length + 64L);
                var it = map.entrySet().iterator();
                while (bytes > maxBytes && it.hasNext()) {
                    Map.Entry<Long, byte[]> e = it.next();
                    bytes -= e.getValue().length + 64L;
                    it.remove();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
