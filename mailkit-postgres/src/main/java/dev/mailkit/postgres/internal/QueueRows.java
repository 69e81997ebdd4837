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

    /** Rows in {@code db}; a message this node writes is leased for {@code lease}. */
    public QueueRows(Db db, Duration lease) {
        this.db = db;
        this.leaseMillis = lease.toMillis();
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
            return db.inTransaction(c -> {
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

    /** Deletes a message (committed or not), waiting for the disk only if asked. */
    public void delete(String id, boolean waitDurable) throws IOException {
        try {
            db.inTransaction(c -> {
                if (!waitDurable) {
                    asynchronous(c);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_queue_message WHERE id = ?")) {
                    ps.setString(1, id);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot remove queued message " + id, e);
        }
    }

    /** Records changes in one transaction, synchronous only when one of them must be durable. */
    public void record(String id, List<StateChange> changes) throws IOException {
        boolean durable = changes.stream().anyMatch(StateChange::durable);
        try {
            db.inTransaction(c -> {
                if (!durable) {
                    asynchronous(c);
                }
                for (StateChange ch : changes) {
                    apply(c, id, ch);
                }
                return null;
            });
        } catch (SQLException e) {
            throw failure("cannot record the state of queued message " + id, e);
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
                try (PreparedStatement ps = c.prepareStatement("SELECT m.content_length, k.data "
                        + "FROM mk_queue_message m LEFT JOIN mk_queue_chunk k ON k.message_id = m.id AND k.seq = 0 "
                        + "WHERE m.id = ?")) {
                    ps.setString(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new Object[] {rs.getLong(1), rs.getBytes(2)} : null;
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("cannot read queued message " + id, e);
        }
        if (row == null) {
            throw new NoSuchFileException(id, null, "the message is not in the queue (any more)");
        }
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
