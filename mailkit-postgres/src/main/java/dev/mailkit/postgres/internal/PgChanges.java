package dev.mailkit.postgres.internal;

import dev.mailkit.store.AccountChange;
import dev.mailkit.store.AccountChanges;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One account's {@link AccountChanges} in {@code mk_account_change}, the same for every node: {@link #record} writes
 * a change's row (and notifies the account channel) in the transaction that makes the change; {@link #since} reads
 * the rows above a number. The listeners run when the account channel says the account changed (on this node's
 * notification thread, for changes of every node, this one's included), after a reconnection, and when a periodic
 * comparison finds the account's number ahead of the last one heard ({@link #fireIfBehind}), so a lost
 * notification delays an event by one tick at most. Thread-safe.
 */
final class PgChanges implements AccountChanges {
    private static final Logger LOG = LoggerFactory.getLogger(PgChanges.class);
    /** The most rows one {@link #since} reads; more waiting is reported as history no longer kept. */
    private static final int MAX_ROWS = 10_000;

    private final Db db;
    private final long accountId;
    private final String instance;
    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long heard = -1;

    PgChanges(Db db, long accountId, String instance) {
        this.db = db;
        this.accountId = accountId;
        this.instance = instance;
    }

    /** Writes a change's row, numbered next, and notifies the account channel. In the change's transaction. */
    void record(Connection c, AccountChange.Kind kind, MailboxName mailbox, MailboxName oldName, String entry)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH s AS (UPDATE mk_account SET change_seq = change_seq + 1 "
                + "WHERE id = ? RETURNING change_seq) INSERT INTO mk_account_change (account_id, seq, kind, mailbox, "
                + "old_name, entry) SELECT ?, change_seq, ?, ?, ?, ? FROM s")) {
            ps.setLong(1, accountId);
            ps.setLong(2, accountId);
            ps.setString(3, kind.name());
            ps.setString(4, mailbox == null ? null : mailbox.toString());
            ps.setString(5, oldName == null ? null : oldName.toString());
            ps.setString(6, entry);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, db.schema() + "_account");
            ps.setString(2, accountId + " " + instance);
            ps.executeQuery().close();
        }
    }

    @Override
    public long sequence() {
        try {
            return db.autoCommit(this::select);
        } catch (SQLException e) {
            throw Db.failure("cannot read the change number of account " + accountId, e);
        }
    }

    private long select(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT change_seq FROM mk_account WHERE id = ?")) {
            ps.setLong(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new MailStoreException(MailStoreException.Reason.NOT_FOUND,
                            "account " + accountId + " no longer exists");
                }
                return rs.getLong(1);
            }
        }
    }

    @Override
    public Optional<List<AccountChange>> since(long after) {
        try {
            return db.autoCommit(c -> {
                List<AccountChange> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT seq, kind, mailbox, old_name, entry FROM "
                        + "mk_account_change WHERE account_id = ? AND seq > ? ORDER BY seq LIMIT " + MAX_ROWS)) {
                    ps.setLong(1, accountId);
                    ps.setLong(2, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String m = rs.getString(3);
                            String o = rs.getString(4);
                            out.add(new AccountChange(rs.getLong(1), AccountChange.Kind.valueOf(rs.getString(2)),
                                    m == null ? null : MailboxName.of(m), o == null ? null : MailboxName.of(o),
                                    rs.getString(5)));
                        }
                    }
                }
                if (out.size() >= MAX_ROWS || !out.isEmpty() && out.get(0).sequence() != after + 1) {
                    return Optional.<List<AccountChange>>empty(); // deleted as old, or too many to read
                }
                if (out.isEmpty() && select(c) > after) {
                    return Optional.<List<AccountChange>>empty();
                }
                return Optional.of(out);
            });
        } catch (SQLException e) {
            throw Db.failure("cannot read the changes of account " + accountId, e);
        }
    }

    @Override
    public void addListener(Runnable listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    /** Whether anyone listens (only those accounts are compared every tick). */
    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** The periodic comparison found the account's number: runs the listeners if it is ahead of the last heard. */
    void fireIfBehind(long sequence) {
        if (sequence > heard) {
            heard = sequence;
            fire();
        }
    }

    /** Runs the listeners. */
    void fire() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("an account change listener failed: {}", e.toString());
            }
        }
    }

    long accountId() {
        return accountId;
    }
}
