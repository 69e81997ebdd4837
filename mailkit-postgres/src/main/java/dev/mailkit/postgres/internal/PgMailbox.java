package dev.mailkit.postgres.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.MailboxEngine;
import dev.mailkit.store.internal.MailboxStorage;
import dev.mailkit.store.internal.StorageSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One mailbox of {@code mk_mailbox} on this node: the {@link MailboxStorage} of its {@link MailboxEngine}, which
 * keeps the mailbox's index in memory as for every mailkit store, while the database is the record that every node
 * shares. Each change runs in one transaction that first locks the mailbox's row ({@code FOR UPDATE}) and applies
 * what other nodes committed since ({@link #changesBegin()}), so the UIDs and MODSEQs the engine hands out next are
 * the database's next ones however many nodes append at once; the change's rows, the counters and a notification
 * are committed at {@link #changesDone()}. Other nodes' changes arrive through {@link #catchUp()}: on a
 * notification, on a periodic tick, before STATUS and SELECT. Content lives in {@link Contents}; the engine's
 * reference to a message is its content id (a {@code Long}). Thread-safe.
 */
public final class PgMailbox extends MailboxStorage {
    private static final Logger LOG = LoggerFactory.getLogger(PgMailbox.class);

    private final Db db;
    private final Contents contents;
    private final long id;
    private final MailboxEngine engine;
    private final StorageSync sync;
    private final Runnable onGone;
    private final AtomicBoolean catchUpScheduled = new AtomicBoolean();
    // the change under way; guarded by the engine's write lock
    private Connection tx;
    private boolean committed;
    private boolean keywordsChanged;
    private boolean wakeLater;
    private final List<Object[]> appends = new ArrayList<>();
    private final List<Object[]> flagChanges = new ArrayList<>();
    private final List<long[]> expunges = new ArrayList<>();
    private volatile boolean diverged;

    /**
     * The mailbox {@code id}, loaded from the database (its messages, keywords and counters).
     *
     * @param onGone run when the mailbox turns out to have been deleted (by another node) or must be reloaded
     */
    PgMailbox(Db db, Contents contents, long id, MailboxName name, Set<SpecialUse> specialUse, long uidValidity,
              int maxKeywords, dev.mailkit.store.internal.QuotaCounter quota, java.time.Clock clock, Runnable onGone)
            throws SQLException {
        this.db = db;
        this.contents = contents;
        this.id = id;
        this.onGone = onGone;
        this.engine = new MailboxEngine(name, specialUse, uidValidity, maxKeywords, quota, clock, this);
        this.sync = new StorageSync(engine);
        load();
    }

    /** The mailbox's id in {@code mk_mailbox}. */
    public long id() {
        return id;
    }

    /** The engine. */
    public MailboxEngine engine() {
        return engine;
    }

    private void load() throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                long uidNext;
                long modSeq;
                long firstRecent;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT uidnext, highestmodseq, keywords, first_recent_uid FROM mk_mailbox WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SQLException("mailbox " + id + " does not exist", "02000");
                        }
                        uidNext = rs.getLong(1);
                        modSeq = rs.getLong(2);
                        for (String k : strings(rs.getArray(3))) {
                            sync.restoreKeyword(k);
                        }
                        firstRecent = rs.getLong(4);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT uid, content_id, flags, keywords, modseq, "
                        + "internal_date, size FROM mk_message WHERE mailbox_id = ? ORDER BY uid")) {
                    ps.setLong(1, id);
                    ps.setFetchSize(10_000);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            sync.restoreRow(rs.getLong(1), rs.getInt(3), strings(rs.getArray(4)), rs.getLong(5),
                                    rs.getLong(6), rs.getLong(7), rs.getLong(2));
                        }
                    }
                }
                sync.restoreCounters(uidNext, modSeq, firstRecent);
                c.commit();
            } finally {
                Db.rollbackQuietly(c);
                c.setAutoCommit(true);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- other nodes

    /**
     * Reads what other nodes changed since the engine's HIGHESTMODSEQ and applies it (under the engine's write lock,
     * so that it never interleaves with a change of this node). Quietly does nothing if the database cannot be
     * reached: the next tick tries again.
     */
    public void catchUp() {
        if (engine.isDeleted()) {
            return;
        }
        boolean[] gone = {false};
        boolean[] applied = {false};
        sync.underWriteLock(() -> {
            if (engine.isDeleted()) {
                return;
            }
            if (!behind()) {
                return;
            }
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try {
                    Boolean r = readChanges(c, false);
                    gone[0] = r == null;
                    applied[0] = Boolean.TRUE.equals(r);
                    c.commit();
                } finally {
                    Db.rollbackQuietly(c);
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                LOG.debug("catching up {} failed: {}", engine.name(), e.getMessage());
            }
        });
        if (gone[0]) {
            onGone.run();
        } else if (applied[0]) {
            sync.wakeViews();
        }
    }

    /**
     * One read (autocommit) of the mailbox's counters: whether other nodes changed it since this node's HIGHESTMODSEQ
     * (true, too, if it is gone, for the full read to find out; false if the read failed: the next tick tries again);
     * applies their \Recent claims.
     * Most catch-ups (every SELECT and STATUS) find nothing and stop here.
     */
    private boolean behind() {
        try {
            return db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT highestmodseq, first_recent_uid FROM mk_mailbox WHERE id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return true;
                        }
                        sync.claimedElsewhere(rs.getLong(2));
                        return rs.getLong(1) > sync.highestModSeq();
                    }
                }
            });
        } catch (SQLException e) {
            LOG.debug("catching up {} failed: {}", engine.name(), e.getMessage());
            return false;
        }
    }

    /** Schedules a {@link #catchUp()} on the executor unless one is scheduled already. */
    public void scheduleCatchUp() {
        if (catchUpScheduled.compareAndSet(false, true)) {
            db.executor().execute(() -> {
                catchUpScheduled.set(false);
                catchUp();
            });
        }
    }

    /** Applies other nodes' \Recent claims read with the mailbox's row ({@code first_recent_uid}). */
    void claimedElsewhere(long firstRecent) {
        sync.claimedElsewhere(firstRecent);
    }

    /** The HIGHESTMODSEQ this node has applied. */
    public long knownModSeq() {
        return sync.highestModSeq();
    }

    /**
     * Reads the mailbox's row (locking it if {@code lock}) and applies the changes since the engine's HIGHESTMODSEQ.
     * Under the engine's write lock. Returns null if the mailbox is gone, true if anything was applied.
     */
    private Boolean readChanges(Connection c, boolean lock) throws SQLException {
        long uidNext;
        long modSeq;
        List<String> keywords;
        try (PreparedStatement ps = c.prepareStatement("SELECT uidnext, highestmodseq, keywords, first_recent_uid "
                + "FROM mk_mailbox WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                uidNext = rs.getLong(1);
                modSeq = rs.getLong(2);
                keywords = strings(rs.getArray(3));
                sync.claimedElsewhere(rs.getLong(4));
            }
        }
        long known = sync.highestModSeq();
        if (modSeq <= known) {
            return false;
        }
        List<StorageSync.Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT uid, content_id, flags, keywords, modseq, internal_date, "
                + "size FROM mk_message WHERE mailbox_id = ? AND modseq > ? ORDER BY uid")) {
            ps.setLong(1, id);
            ps.setLong(2, known);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new StorageSync.Row(rs.getLong(1), rs.getInt(3), strings(rs.getArray(4)), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), rs.getLong(2)));
                }
            }
        }
        long[] gone;
        long goneModSeq = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT uid, modseq FROM mk_expunged WHERE mailbox_id = ? AND modseq > ?")) {
            ps.setLong(1, id);
            ps.setLong(2, known);
            List<Long> g = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    g.add(rs.getLong(1));
                    goneModSeq = Math.max(goneModSeq, rs.getLong(2));
                }
            }
            gone = g.stream().mapToLong(Long::longValue).toArray();
        }
        List<StorageSync.Row> refused = sync.apply(gone, goneModSeq, rows, keywords, uidNext, modSeq);
        if (!refused.isEmpty()) {
            LOG.warn("{}: {} messages of other nodes have UIDs this node already used; reloading the mailbox",
                    engine.name(), refused.size());
            diverged = true;
        }
        return true;
    }

    /**
     * Records a claim of {@code \Recent} in the mailbox's row (its lock orders it with other nodes' claims) and returns
     * the first UID of {@code [from, to)} that no session of any node had. If the database cannot be reached, the
     * claim is this node's alone (the messages are \Recent here; a session elsewhere may see them so too).
     */
    @Override
    protected long claimRecent(long from, long to) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE mk_mailbox m SET first_recent_uid = "
                        + "GREATEST(o.old, ?) FROM (SELECT id, first_recent_uid AS old FROM mk_mailbox WHERE id = ? "
                        + "FOR UPDATE) o WHERE m.id = o.id RETURNING o.old")) {
                    ps.setLong(1, to);
                    ps.setLong(2, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Math.max(from, rs.getLong(1)) : from;
                    }
                }
            });
        } catch (SQLException e) {
            LOG.warn("{}: recording a \\Recent claim failed: {}", engine.name(), e.getMessage());
            return from;
        }
    }

    // ---------------------------------------------------------------------------------------------- storage hooks

    @Override
    protected Object storeContent(MessageSource message) throws IOException {
        try {
            return contents.store(message);
        } catch (SQLException e) {
            throw new IOException(Db.failure("cannot store the message", e).getMessage(), e);
        }
    }

    @Override
    protected Object importContent(MailboxStorage source, Object sourceRef) {
        // mailboxes of one database share content rows; any other store's message is streamed in
        return source instanceof PgMailbox p && p.contents == contents ? sourceRef : null;
    }

    @Override
    protected MessageSource openContent(Object ref) throws IOException {
        return contents.open((Long) ref);
    }

    @Override
    protected void discardContent(Object ref) {
        // unreferenced content rows are collected later (another message may share them)
    }

    @Override
    protected byte[] cachedStructure(Object ref) {
        return contents.structure((Long) ref);
    }

    @Override
    protected void cacheStructure(Object ref, byte[] structure) {
        contents.putStructure((Long) ref, structure);
    }

    @Override
    protected void refresh() {
        if (diverged) {
            onGone.run();
            return;
        }
        catchUp();
    }

    // ---------------------------------------------------------------------------------------------- change hooks

    @Override
    protected boolean recordsChanges() {
        return true;
    }

    /**
     * Yes: a delivery's append costs a durable commit under the mailbox row's lock, so the deliveries that wait for
     * the mailbox meanwhile are recorded together by the next one, in one transaction and one commit.
     */
    @Override
    protected boolean groupsAppends() {
        return true;
    }

    @Override
    protected void changesBegin() {
        if (diverged) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR, "mailbox " + engine.name()
                    + " is being reloaded from the database after a failure; try again");
        }
        Connection c = null;
        try {
            c = db.connection();
            c.setAutoCommit(false);
            Boolean r = readChanges(c, true);
            if (r == null) {
                Db.rollbackQuietly(c);
                c.setAutoCommit(true);
                c.close();
                engine.markDeleted();
                db.executor().execute(onGone);
                return; // the engine now refuses the change: NOT_FOUND
            }
            wakeLater |= r;
            tx = c;
            committed = false;
            keywordsChanged = false;
            appends.clear();
            flagChanges.clear();
            expunges.clear();
        } catch (SQLException e) {
            if (c != null) {
                Db.rollbackQuietly(c);
                closeQuietly(c);
            }
            throw Db.failure("cannot change " + engine.name(), e);
        }
    }

    @Override
    protected void keywordsDefined(List<String> newKeywords) {
        keywordsChanged = true;
    }

    @Override
    protected void appended(long uid, Object ref, int flagBits, List<String> keywords, long modSeq, long date,
                            long size) {
        appends.add(new Object[] {uid, ref, flagBits, keywords, modSeq, date, size});
    }

    @Override
    protected void flagsChanged(long uid, Object ref, int flagBits, List<String> keywords, long modSeq) {
        flagChanges.add(new Object[] {uid, flagBits, keywords, modSeq});
    }

    @Override
    protected void expunged(int[] uids, Object[] refs, long modSeq) {
        long[] u = new long[uids.length + 1];
        for (int i = 0; i < uids.length; i++) {
            u[i] = Integer.toUnsignedLong(uids[i]);
        }
        u[uids.length] = modSeq;
        expunges.add(u);
    }

    @Override
    protected void changesDone() {
        Connection c = tx;
        if (c == null) {
            return;
        }
        try {
            write(c);
            c.commit();
            committed = true;
        } catch (SQLException e) {
            Db.rollbackQuietly(c);
            // the engine changed its index already: it no longer matches the database, so it is dropped and the
            // mailbox loaded again from the database by the next session
            diverged = true;
            db.executor().execute(this::reload);
            throw Db.failure("cannot record the change of " + engine.name(), e);
        }
    }

    /**
     * Writes the change's rows, the counters and the notification, and commits. The common change, one append (a
     * delivery), is one statement and the COMMIT, in one round trip: the row's insert, the counters' update and the
     * notification; the mailbox row's lock is held for one round trip less.
     */
    private void write(Connection c) throws SQLException {
        boolean single = appends.size() == 1 && flagChanges.isEmpty() && expunges.isEmpty();
        if (!appends.isEmpty() && !single) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_message (mailbox_id, uid, content_id, "
                    + "flags, keywords, modseq, internal_date, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Object[] a : appends) {
                    bindAppend(c, ps, 1, a);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!flagChanges.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mk_message SET flags = ?, keywords = ?, modseq = ? "
                    + "WHERE mailbox_id = ? AND uid = ?")) {
                for (Object[] f : flagChanges) {
                    ps.setInt(1, (Integer) f[1]);
                    ps.setArray(2, textArray(c, castList(f[2])));
                    ps.setLong(3, (Long) f[3]);
                    ps.setLong(4, id);
                    ps.setLong(5, (Long) f[0]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (long[] e : expunges) {
            long modSeq = e[e.length - 1];
            Long[] uids = new Long[e.length - 1];
            for (int i = 0; i < uids.length; i++) {
                uids[i] = e[i];
            }
            Array arr = c.createArrayOf("bigint", uids);
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM mk_message WHERE mailbox_id = ? AND uid = ANY (?)")) {
                ps.setLong(1, id);
                ps.setArray(2, arr);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_expunged (mailbox_id, uid, modseq) "
                    + "SELECT ?, u, ? FROM unnest(?::bigint[]) u ON CONFLICT (mailbox_id, uid) "
                    + "DO UPDATE SET modseq = excluded.modseq")) {
                ps.setLong(1, id);
                ps.setLong(2, modSeq);
                ps.setArray(3, arr);
                ps.executeUpdate();
            }
        }
        long[] counters = sync.counters();
        try (PreparedStatement ps = c.prepareStatement((single ? "WITH a AS (INSERT INTO mk_message (mailbox_id, "
                + "uid, content_id, flags, keywords, modseq, internal_date, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)), "
                : "WITH ") + "u AS (UPDATE mk_mailbox SET uidnext = GREATEST(uidnext, ?), "
                + "highestmodseq = GREATEST(highestmodseq, ?)" + (keywordsChanged ? ", keywords = ?" : "")
                + " WHERE id = ?) SELECT pg_notify(?, ?); COMMIT")) {
            int i = single ? bindAppend(c, ps, 1, appends.get(0)) : 1;
            ps.setLong(i++, counters[0]);
            ps.setLong(i++, counters[1]);
            if (keywordsChanged) {
                ps.setArray(i++, textArray(c, sync.keywords()));
            }
            ps.setLong(i++, id);
            ps.setString(i++, db.schema() + "_mailbox");
            ps.setString(i, id + " " + counters[1]);
            ps.execute(); // the COMMIT goes in the same round trip; the caller's commit() then has nothing to do
        }
    }

    /** Binds an append's eight values from {@code first} on; returns the next parameter's index. */
    private int bindAppend(Connection c, PreparedStatement ps, int first, Object[] a) throws SQLException {
        ps.setLong(first, id);
        ps.setLong(first + 1, (Long) a[0]);
        ps.setLong(first + 2, (Long) a[1]);
        ps.setInt(first + 3, (Integer) a[2]);
        ps.setArray(first + 4, textArray(c, castList(a[3])));
        ps.setLong(first + 5, (Long) a[4]);
        ps.setLong(first + 6, (Long) a[5]);
        ps.setLong(first + 7, (Long) a[6]);
        return first + 8;
    }

    @Override
    protected void changesEnd() {
        Connection c = tx;
        tx = null;
        appends.clear();
        flagChanges.clear();
        expunges.clear();
        if (c != null) {
            if (!committed) {
                Db.rollbackQuietly(c);
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the pool checks the connection
            }
            closeQuietly(c);
        }
        if (wakeLater) {
            wakeLater = false;
            db.executor().execute(sync::wakeViews);
        }
    }

    /** Drops the engine (its views learn that the mailbox is gone) so that the next open loads it again. */
    private void reload() {
        engine.markDeleted();
        onGone.run();
    }

    /** Whether the engine no longer matches the database and must be loaded again. */
    public boolean isDiverged() {
        return diverged;
    }

    // ---------------------------------------------------------------------------------------------- helpers

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    static List<String> strings(Array a) throws SQLException {
        if (a == null) {
            return List.of();
        }
        Object[] values = (Object[]) a.getArray();
        if (values.length == 0) {
            return List.of();
        }
        return Arrays.asList(Arrays.copyOf(values, values.length, String[].class));
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the pool drops a broken connection
        }
    }
}
