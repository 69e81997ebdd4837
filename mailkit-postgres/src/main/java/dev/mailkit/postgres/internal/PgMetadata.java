package dev.mailkit.postgres.internal;

import dev.mailkit.store.AccountChange;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MetadataLimits;
import dev.mailkit.store.internal.MetadataBudget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An account's METADATA entries in {@code mk_metadata}: read straight from the table (so every node sees the same),
 * changed in one transaction that first locks the account's row, so that the limits hold however many nodes write.
 * Stateless.
 */
final class PgMetadata {
    private static final String MAILBOX_ID = "(SELECT id FROM mk_mailbox WHERE account_id = ? AND name = ?)";

    private PgMetadata() {
    }

    /** The entries of the account (null) or of a mailbox. */
    static SortedMap<String, byte[]> read(Db db, long accountId, MailboxName mailbox) throws SQLException {
        return db.autoCommit(c -> select(c, accountId, mailbox));
    }

    private static SortedMap<String, byte[]> select(Connection c, long accountId, MailboxName mailbox)
            throws SQLException {
        String sql = "SELECT entry, value FROM mk_metadata WHERE account_id = ? AND mailbox_id "
                + (mailbox == null ? "IS NULL" : "= " + MAILBOX_ID);
        SortedMap<String, byte[]> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, accountId);
            if (mailbox != null) {
                ps.setLong(2, accountId);
                ps.setString(3, mailbox.toString());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getBytes(2));
                }
            }
        }
        return out;
    }

    /** Checks the change against the limits and makes it, with its rows in the change stream, in one transaction. */
    static void write(Db db, long accountId, MailboxName mailbox, Map<String, byte[]> changes,
                      MetadataLimits limits, PgChanges stream) throws SQLException {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mk_account WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, accountId);
                ps.executeQuery().close();
            }
            long entries;
            long bytes;
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), COALESCE(sum(octet_length(entry) "
                    + "+ octet_length(value)), 0) FROM mk_metadata WHERE account_id = ?")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    entries = rs.getLong(1);
                    bytes = rs.getLong(2);
                }
            }
            SortedMap<String, byte[]> now = select(c, accountId, mailbox);
            Map<String, byte[]> existing = new HashMap<>();
            for (String e : changes.keySet()) {
                if (now.containsKey(e)) {
                    existing.put(e, now.get(e));
                }
            }
            MetadataBudget.check(limits, entries, bytes, changes, existing);
            String owner = mailbox == null ? "IS NULL" : "= " + MAILBOX_ID;
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM mk_metadata WHERE account_id = ? AND entry = ? AND mailbox_id " + owner);
                 PreparedStatement ins = c.prepareStatement("INSERT INTO mk_metadata (account_id, mailbox_id, "
                         + "entry, value) VALUES (?, " + (mailbox == null ? "NULL" : MAILBOX_ID) + ", ?, ?)")) {
                for (Map.Entry<String, byte[]> ch : changes.entrySet()) {
                    del.setLong(1, accountId);
                    del.setString(2, ch.getKey());
                    if (mailbox != null) {
                        del.setLong(3, accountId);
                        del.setString(4, mailbox.toString());
                    }
                    del.addBatch();
                    if (ch.getValue() != null) {
                        int i = 1;
                        ins.setLong(i++, accountId);
                        if (mailbox != null) {
                            ins.setLong(i++, accountId);
                            ins.setString(i++, mailbox.toString());
                        }
                        ins.setString(i++, ch.getKey());
                        ins.setBytes(i, ch.getValue());
                        ins.addBatch();
                    }
                }
                del.executeBatch();
                ins.executeBatch();
            }
            for (String entry : new java.util.TreeSet<>(changes.keySet())) {
                stream.record(c, AccountChange.Kind.METADATA, mailbox, null, entry);
            }
            return null;
        });
    }
}
