package dev.mailkit.postgres.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueuedMessage;
import dev.mailkit.relay.spi.StateChange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The relay queue's rows ({@code V4__queue.sql}): writing a message (envelope, recipients, content in chunks) in one
 * transaction, committing it (the one synchronous commit before the 250), per-recipient results, removal, and reading
 * the content back. Claims are {@link QueueClaims}'. Every write is a row of this node ({@link Db#nodeName()}) with a
 * lease. Thread-safe.
 */
public final class QueueRows {
    /** The size of a content chunk row. */
    public static final int CHUNK = 256 * 1024;

    private final Db db;
    private final long leaseMillis;
    private final QueueLeases leases;

    /** Rows in {@code db}; a message this node writes is leased for {@code lease}. */
    public QueueRows(Db db, Duration lease) {
        this.db = db;
        this.leaseMillis = lease.toMillis();
        this.leases = new QueueLeases(db.nodeName());
    }

    /** The epochs under which this node holds its messages. */
    QueueLeases leases() {
        return leases;
    }

    /** The database. */
    public Db db() {
        return db;
    }

    /** A node's lease, in millis. */
    long leaseMillis() {
        return leaseMillis;
    }

    /**
     * Writes a message, not committed, in one transaction whose commit does not wait for the disk (the commit that
     * matters is {@link #commit}'s, and the WAL is flushed in order). Returns the content's length.
     *
     * @throws FileAlreadyExistsException if the id is taken
     */
    public long write(QueuedMessage m, QueueStorage.ContentWriter content, long sizeHint) throws IOException {
        try {
            long written = db.inTransaction(c -> {
                asynchronous(c);
                long length;
                try (QueueChunkOutput out = new QueueChunkOutput(c, m.id(), sizeHint)) {
                    content.writeTo(out);
                    length = out.finish();
                } catch (IOException e) {
                    throw new SQLException(e.getMessage(), "58030", e);
                }
                insertMessage(c, m, length);
                insertRecipients(c, m);
                return length;
            });
            leases.hold(m.id(), 0); // a new row's lease_epoch
            return written;
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new FileAlreadyExistsException(m.id());
            }
            if ("58030".equals(e.getSQLState()) && e.getCause() instanceof IOException io) {
                throw io;
            }
            throw failure("cannot write queued message " + m.id(), e);
        }
    }

    private void insertMessage(Connection c, QueuedMessage m, long length) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_queue_message (id, created, reverse_path, "
                + "mail_parameters, origin, notification, content_length, owner, lease_until) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, now() + ? * interval '1 millisecond')")) {
            ps.setString(1, m.id());
            ps.setLong(2, m.created().toEpochMilli());
            ps.setString(3, m.reversePath() == null ? null : m.reversePath().toString());
            ps.setString(4, QueueParameters.encode(m.mailParameters()));
            ps.setString(5, m.origin());
            ps.setBoolean(6, m.notification());
            ps.setLong(7, length);
            ps.setString(8, db.nodeName());
            ps.setLong(9, leaseMillis);
            ps.executeUpdate();
        }
    }

    private static void insertRecipients(Connection c, QueuedMessage m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mk_queue_recipient (message_id, idx, address, parameters) VALUES (?, ?, ?, ?)")) {
            List<MailAddress> rcpts = m.recipients();
            for (int i = 0; i < rcpts.size(); i++) {
                ps.setString(1, m.id());
                ps.setInt(2, i);
                ps.setString(3, rcpts.get(i).toString());
                ps.setString(4, QueueParameters.encode(m.recipientParameters().get(i)));
                if (rcpts.size() == 1) {
                    ps.executeUpdate();
                } else {
                    ps.addBatch();
                }
            }
            if (rcpts.size() > 1) {
                ps.executeBatch();
            }
        }
    }

    /** Marks a written message committed, durably (a synchronous commit). */
    public void commit(String id) throws IOException {
        int n;
        try {
            n = db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE mk_queue_message SET committed = true WHERE id = ? AND NOT committed")) {
                    ps.setString(1, id);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot commit queued message " + id, e);
        }
        if (n != 1) {
            throw new IOException("queued message " + id + " is gone before its commit (its lease ran out and "
                    + "another node removed it as abandoned); the client will send it again");
        }
    }

    /**
     * Deletes a message (committed or not), waiting for the disk only if asked. A message this node holds is deleted
     * only while it still holds it.
     *
     * @throws dev.mailkit.relay.spi.LeaseLostException if another node claimed it meanwhile (the row stays)
     */
    public void delete(String id, boolean waitDurable) throws IOException {
        long epoch = leases.epoch(id);
        String[] owner = {null};
        long[] found = {-1};
        try {
            db.inTransaction(c -> {
                if (!waitDurable) {
                    asynchronous(c);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_queue_message WHERE id = ?"
                        + (epoch < 0 ? "" : " AND owner = ? AND lease_epoch = ?"))) {
                    ps.setString(1, id);
                    if (epoch >= 0) {
                        ps.setString(2, db.nodeName());
                        ps.setLong(3, epoch);
                    }
                    if (ps.executeUpdate() > 0 || epoch < 0) {
                        return null;
                    }
                }
                readLease(c, id, false, owner, found); // not deleted: gone already, or another node's now
                return null;
            });
        } catch (SQLException e) {
            throw failure("cannot remove queued message " + id, e);
        }
        try {
            leases.check(id, owner[0], found[0], "remove");
        } finally {
            leases.forget(id); // removed, or another node's: the engine is done with it either way
        }
    }

    /** Reads a message's owner and lease epoch into {@code owner} and {@code epoch} (a null owner if it is gone). */
    private static void readLease(Connection c, String id, boolean lock, String[] owner, long[] epoch)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner, lease_epoch FROM mk_queue_message WHERE id = ?"
                + (lock ? " FOR KEY SHARE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    owner[0] = rs.getString(1);
                    epoch[0] = rs.getLong(2);
                }
            }
        }
    }

    /**
     * Records changes in one transaction, synchronous only when one of them must be durable; for a message this node
     * holds, only while it still holds it.
     *
     * @throws dev.mailkit.relay.spi.LeaseLostException if another node claimed the message meanwhile, or it is gone
     */
    public void record(String id, List<StateChange> changes) throws IOException {
        boolean durable = changes.stream().anyMatch(StateChange::durable);
        boolean held = leases.epoch(id) >= 0;
        try {
            db.inTransaction(c -> {
                if (!durable) {
                    asynchronous(c);
                }
                if (held) {
                    // the row's lock (KEY SHARE) keeps a claim (FOR UPDATE SKIP LOCKED) off it until this commits
                    String[] owner = {null};
                    long[] epoch = {-1};
                    readLease(c, id, true, owner, epoch);
                    // gone without this node removing it: another node finished or deleted it
                    checkLease(id, owner[0] == null ? "(none: the message is gone)" : owner[0], epoch[0],
                            "record the state of");
                }
                for (StateChange ch : changes) {
                    apply(c, id, ch);
                }
                return null;
            });
        } catch (SQLException e) {
            if (e.getCause() instanceof dev.mailkit.relay.spi.LeaseLostException lost) {
                leases.forget(id); // the engine forgets the message on this
                throw lost;
            }
            throw failure("cannot record the state of queued message " + id, e);
        }
    }

    /** {@link QueueLeases#check} inside a transaction: a lost lease becomes an SQLException that rolls it back. */
    private void checkLease(String id, String owner, long epoch, String what) throws SQLException {
        try {
            leases.check(id, owner, epoch, what);
        } catch (dev.mailkit.relay.spi.LeaseLostException e) {
            throw new SQLException(e.getMessage(), "55000", e);
        }
    }

    private static void apply(Connection c, String id, StateChange ch) throws SQLException {
        switch (ch.kind()) {
            case DELIVERED:
            case BOUNCED:
                try (PreparedStatement ps = c.prepareStatement("UPDATE mk_queue_recipient SET state = ?, status = ?, "
                        + "reply = ?, done_at = ? WHERE message_id = ? AND idx = ?")) {
                    ps.setString(1, ch.kind() == StateChange.Kind.DELIVERED ? "D" : "B");
                    ps.setString(2, ch.status());
                    ps.setString(3, ch.reply());
                    ps.setLong(4, ch.at());
                    ps.setString(5, id);
                    ps.setInt(6, ch.index());
                    ps.executeUpdate();
                }
                break;
            case ATTEMPTED:
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE mk_queue_message SET attempts = ?, next_attempt = ? WHERE id = ?")) {
                    ps.setInt(1, ch.attempts());
                    ps.setLong(2, ch.nextAttempt());
                    ps.setString(3, id);
                    ps.executeUpdate();
                }
                break;
            default:
                try (PreparedStatement ps = c.prepareStatement("UPDATE mk_queue_message SET held = ? WHERE id = ?")) {
                    ps.setBoolean(1, ch.kind() == StateChange.Kind.HELD);
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
                break;
        }
    }

    /** A stream over a queued message's content (the first chunk read now, the others as reading reaches them). */
    public InputStream content(String id) throws IOException {
        Object[] row;
        try {
            row = db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT m.content_length, k.data, m.owner, "
                        + "m.lease_epoch FROM mk_queue_message m LEFT JOIN mk_queue_chunk k ON k.message_id = m.id "
                        + "AND k.seq = 0 WHERE m.id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new Object[] {rs.getLong(1), rs.getBytes(2), rs.getString(3),
                                rs.getLong(4)} : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("cannot read queued message " + id, e);
        }
        if (row == null) {
            throw new NoSuchFileException(id, null, "the message is not in the queue (any more)");
        }
        // the read before a delivery: a node that lost the message to another node does not send it again
        leases.check(id, (String) row[2], (Long) row[3], "deliver");
        long length = (Long) row[0];
        byte[] first = (byte[]) row[1];
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        return new QueueChunkInput(db, id, length, first);
    }

    /** The writing transaction's commit does not wait for the WAL to reach the disk. */
    static void asynchronous(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit TO OFF");
        }
    }

    /** An IOException for a database failure, saying whether the database was unreachable (a temporary failure). */
    static IOException failure(String what, SQLException e) {
        return new IOException(what + ": " + (Db.isUnavailable(e)
                ? "the database is unavailable (" + e.getMessage() + "); try again later" : e.getMessage()), e);
    }

    /** The envelope parameters of one recipient, decoded. */
    static Map<String, String> parameters(String text) {
        return QueueParameters.decode(text);
    }
}
