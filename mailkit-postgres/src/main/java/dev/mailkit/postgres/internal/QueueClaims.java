package dev.mailkit.postgres.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueuedMessage;
import dev.mailkit.relay.spi.StateChange;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who delivers which queued message: a node claims committed messages whose lease ran out (their node stopped
 * renewing it: it died or lost the database) with {@code FOR UPDATE SKIP LOCKED}, so two nodes never claim one
 * message, and renews the lease of every message it owns in one statement. Writes left uncommitted by a node that
 * died are deleted once their lease is over. Thread-safe.
 */
public final class QueueClaims {
    private final QueueRows rows;
    private final Db db;

    public QueueClaims(QueueRows rows) {
        this.rows = rows;
        this.db = rows.db();
    }

    /**
     * Claims up to {@code max} messages whose lease ran out, and with {@code own} also those leased to this node's
     * name (a node restarted under the same name takes its messages back at once); returns them with their recorded
     * results.
     */
    public List<QueueStorage.Recovered> claim(boolean own, int max) throws IOException {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_queue_message WHERE NOT committed "
                        + "AND (lease_until < now()" + (own ? " OR owner = ?" : "") + ")")) {
                    if (own) {
                        ps.setString(1, db.nodeName());
                    }
                    ps.executeUpdate();
                }
                Map<String, Claimed> claimed = claimMessages(c, own, max);
                if (!claimed.isEmpty()) {
                    readRecipients(c, claimed);
                }
                return claimed;
            }).values().stream().map(m -> {
                rows.leases().hold(m.id, m.epoch); // committed: this node holds it under the new epoch
                return m.recovered();
            }).toList();
        } catch (SQLException e) {
            throw QueueRows.failure("cannot claim queued messages", e);
        }
    }

    private Map<String, Claimed> claimMessages(Connection c, boolean own, int max) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE mk_queue_message m SET owner = ?, "
                + "lease_epoch = m.lease_epoch + 1, lease_until = now() + ? * interval '1 millisecond' "
                + "WHERE m.id IN (SELECT id FROM mk_queue_message WHERE committed AND (lease_until < now()" + (own ? " OR owner = ?" : "") + ") "
                + "ORDER BY created LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)) {
            int i = 1;
            ps.setString(i++, db.nodeName());
            ps.setLong(i++, rows.leaseMillis());
            if (own) {
                ps.setString(i++, db.nodeName());
            }
            ps.setInt(i, max);
            return readMessages(ps);
        }
    }

    private static final String COLUMNS = "m.id, m.created, m.reverse_path, m.mail_parameters, m.origin, "
            + "m.notification, m.content_length, m.attempts, m.next_attempt, m.held, m.lease_epoch";

    /** The messages (COLUMNS) a statement returns, by id. */
    private static Map<String, Claimed> readMessages(PreparedStatement ps) throws SQLException {
        Map<String, Claimed> out = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Claimed m = new Claimed();
                m.id = rs.getString(1);
                m.created = rs.getLong(2);
                m.reversePath = rs.getString(3);
                m.mailParameters = rs.getString(4);
                m.origin = rs.getString(5);
                m.notification = rs.getBoolean(6);
                m.contentLength = rs.getLong(7);
                m.attempts = rs.getInt(8);
                m.nextAttempt = rs.getLong(9);
                m.held = rs.getBoolean(10);
                m.epoch = rs.getLong(11);
                m.owner = rs.getMetaData().getColumnCount() > 11 ? rs.getString(12) : null;
                out.put(m.id, m);
            }
        }
        return out;
    }

    /**
     * Every committed message, with its recorded results and the node that holds it unless this node does under the
     * epoch it knows (for listing the whole queue).
     */
    public List<QueueStorage.Recovered> wholeQueue() throws IOException {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", m.owner FROM "
                        + "mk_queue_message m WHERE committed ORDER BY created")) {
                    Map<String, Claimed> found = readMessages(ps);
                    if (!found.isEmpty()) {
                        readRecipients(c, found);
                    }
                    return found;
                }
            }).values().stream().map(m -> m.recovered(db.nodeName().equals(m.owner)
                    && rows.leases().epoch(m.id) == m.epoch ? null : m.owner)).toList();
        } catch (SQLException e) {
            throw QueueRows.failure("cannot list the queued messages of other nodes", e);
        }
    }

    /**
     * Takes over the committed message {@code id} from the node that holds it (waiting for a write of that node under
     * way to commit): this node holds it under a new lease epoch from now on. Empty if no other node holds it.
     */
    public Optional<QueueStorage.Recovered> takeOver(String id) throws IOException {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE mk_queue_message m SET owner = ?, "
                        + "lease_epoch = m.lease_epoch + 1, lease_until = now() + ? * interval '1 millisecond' "
                        + "WHERE m.id = ? AND committed AND owner <> ? RETURNING " + COLUMNS)) {
                    ps.setString(1, db.nodeName());
                    ps.setLong(2, rows.leaseMillis());
                    ps.setString(3, id);
                    ps.setString(4, db.nodeName());
                    Map<String, Claimed> found = readMessages(ps);
                    if (!found.isEmpty()) {
                        readRecipients(c, found);
                    }
                    return found;
                }
            }).values().stream().map(m -> {
                rows.leases().hold(m.id, m.epoch);
                return m.recovered();
            }).findFirst();
        } catch (SQLException e) {
            throw QueueRows.failure("cannot take over queued message " + id, e);
        }
    }

    private static void readRecipients(Connection c, Map<String, Claimed> claimed) throws SQLException {
        Array ids = c.createArrayOf("text", claimed.keySet().toArray());
        try (PreparedStatement ps = c.prepareStatement("SELECT message_id, idx, address, parameters, state, status, "
                + "reply, done_at FROM mk_queue_recipient WHERE message_id = ANY (?) ORDER BY message_id, idx")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Claimed m = claimed.get(rs.getString(1));
                    int idx = rs.getInt(2);
                    m.recipients.add(MailAddress.parse(rs.getString(3)));
                    m.recipientParameters.add(QueueParameters.decode(rs.getString(4)));
                    String state = rs.getString(5);
                    if ("D".equals(state)) {
                        m.changes.add(StateChange.delivered(idx, rs.getLong(8), nonNull(rs.getString(7))));
                    } else if ("B".equals(state)) {
                        m.changes.add(StateChange.bounced(idx, rs.getLong(8), nonNull(rs.getString(6)),
                                nonNull(rs.getString(7))));
                    }
                }
            }
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** Renews the lease of every message this node owns; returns how many. */
    public int renew() throws SQLException {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mk_queue_message SET lease_until = now() "
                    + "+ ? * interval '1 millisecond' WHERE owner = ?")) {
                ps.setLong(1, rows.leaseMillis());
                ps.setString(2, db.nodeName());
                return ps.executeUpdate();
            }
        });
    }

    /** Ends the lease of every message this node owns now, so that other nodes take them over at once. */
    public int release() throws SQLException {
        return db.autoCommit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mk_queue_message SET lease_until = now() WHERE owner = ?")) {
                ps.setString(1, db.nodeName());
                return ps.executeUpdate();
            }
        });
    }

    /** A claimed message being read. */
    private static final class Claimed {
        String id;
        long created;
        String reversePath;
        String mailParameters;
        String origin;
        boolean notification;
        long contentLength;
        int attempts;
        long nextAttempt;
        boolean held;
        long epoch;
        String owner;
        final List<MailAddress> recipients = new ArrayList<>();
        final List<Map<String, String>> recipientParameters = new ArrayList<>();
        final List<StateChange> changes = new ArrayList<>();

        QueueStorage.Recovered recovered() {
            return recovered(null);
        }

        QueueStorage.Recovered recovered(String holder) {
            QueuedMessage q = new QueuedMessage(id, Instant.ofEpochMilli(created),
                    reversePath == null ? null : MailAddress.parse(reversePath), QueueParameters.decode(mailParameters),
                    recipients, recipientParameters, origin, notification);
            if (attempts > 0 || nextAttempt >= 0) {
                changes.add(StateChange.attempted(0, attempts, nextAttempt));
            }
            if (held) {
                changes.add(StateChange.held(0));
            }
            return new QueueStorage.Recovered(q, contentLength, changes, holder);
        }
    }
}
