package dev.mailkit.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The save dates (RFC 8514) of one mailbox's messages, from {@code mk_message.save_date}: read for the whole
 * mailbox the first time one is asked for, then one row at a time for messages added since. A save date never
 * changes once its row is written, so what is read is kept. A message without one (saved before migration V7) is
 * -1. Thread-safe.
 */
final class PgSaveDates {
    private static final Long UNKNOWN = -1L;

    private final Db db;
    private final long mailboxId;
    private final ConcurrentHashMap<Long, Long> byUid = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    PgSaveDates(Db db, long mailboxId) {
        this.db = db;
        this.mailboxId = mailboxId;
    }

    /** The save date of the message, epoch seconds, or -1. */
    long get(long uid) {
        Long v = byUid.get(uid);
        if (v != null) {
            return v;
        }
        try (Connection c = db.connection()) {
            if (!loaded) {
                read(c, "SELECT uid, save_date FROM mk_message WHERE mailbox_id = ?", -1);
                loaded = true;
            } else {
                read(c, "SELECT uid, save_date FROM mk_message WHERE mailbox_id = ? AND uid = ?", uid);
            }
        } catch (SQLException e) {
            throw Db.failure("cannot read the save date of message " + uid, e);
        }
        return byUid.getOrDefault(uid, UNKNOWN);
    }

    private void read(Connection c, String sql, long uid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, mailboxId);
            if (uid >= 0) {
                ps.setLong(2, uid);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long saved = rs.getLong(2);
                    boolean none = rs.wasNull(); // before reading another column
                    byUid.put(rs.getLong(1), none ? UNKNOWN : saved);
                }
            }
        }
    }
}
