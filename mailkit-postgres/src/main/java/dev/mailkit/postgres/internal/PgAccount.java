package dev.mailkit.postgres.internal;

import dev.mailkit.store.AccountChange;
import dev.mailkit.store.AccountChanges;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.StoreSettings;
import dev.mailkit.store.internal.AccountEngine;
import dev.mailkit.store.internal.MailboxEngine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One account of {@code mk_account} on this node: the {@link AccountEngine}'s rules over the account's rows. The
 * hierarchy is read from {@code mk_mailbox} whenever the engine asks (LIST, CREATE, DELETE, RENAME), so every node
 * sees every other node's mailboxes; loaded mailboxes are kept by id, and follow renames and deletions made
 * elsewhere ({@link #reconcile}). Subscriptions are rows of {@code mk_subscription}, written as differences so that
 * two nodes subscribing at once both count. Hierarchy changes lock the account's row, so they are serialised across
 * nodes as the engine serialises them within one. Thread-safe (the engine's account lock guards the maps).
 */
public final class PgAccount extends AccountEngine {
    private final StoreContext ctx;
    private final long accountId;
    private final TreeSet<MailboxName> subscriptions;
    private final Set<MailboxName> persistedSubscriptions;
    private final Map<Long, PgMailbox> loaded = new HashMap<>(); // guarded by lock()
    private Map<MailboxName, Listed> listing = Map.of(); // guarded by lock(): the last read of mk_mailbox
    private volatile boolean stale;
    private final PgChanges changes;

    /** A mailbox row as the hierarchy read it, with its counters at the time. */
    private record Listed(long id, Set<SpecialUse> specialUse, long uidValidity, long highestModSeq,
                          long firstRecent) {
    }

    private PgAccount(StoreContext ctx, AccountId id, long accountId, TreeSet<MailboxName> subscriptions) {
        super(id, ctx.settings(), subscriptions);
        this.ctx = ctx;
        this.accountId = accountId;
        this.subscriptions = subscriptions;
        this.persistedSubscriptions = new HashSet<>(subscriptions);
        this.changes = new PgChanges(ctx.db(), accountId, ctx.instance());
    }

    /** The account, its row (with INBOX and the auto-created mailboxes) created if it did not exist. */
    static PgAccount load(StoreContext ctx, AccountId id) {
        try {
            Object[] r = ctx.db().inTransaction(c -> {
                long accountId;
                boolean created = false;
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO mk_account (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
                    ps.setString(1, id.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            accountId = rs.getLong(1);
                            created = true;
                        } else {
                            accountId = -1;
                        }
                    }
                }
                if (!created) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM mk_account WHERE name = ?")) {
                        ps.setString(1, id.toString());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            accountId = rs.getLong(1);
                        }
                    }
                } else {
                    insertMailbox(c, accountId, MailboxName.INBOX, Set.of());
                    for (MailboxName n : ctx.settings().autoCreate()) {
                        insertMailbox(c, accountId, n, ctx.settings().specialUseFor(n));
                    }
                }
                TreeSet<MailboxName> subs = new TreeSet<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT name FROM mk_subscription WHERE account_id = ?")) {
                    ps.setLong(1, accountId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            subs.add(MailboxName.of(rs.getString(1)));
                        }
                    }
                }
                return new Object[] {accountId, subs};
            });
            @SuppressWarnings("unchecked")
            TreeSet<MailboxName> subs = (TreeSet<MailboxName>) r[1];
            return new PgAccount(ctx, id, (Long) r[0], subs);
        } catch (SQLException e) {
            throw Db.failure("cannot open the account " + id, e);
        }
    }

    private static long[] insertMailbox(Connection c, long accountId, MailboxName name, Set<SpecialUse> uses)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_mailbox (account_id, name, uidvalidity, "
                + "special_use) VALUES (?, ?, nextval('mk_uidvalidity'), ?) RETURNING id, uidvalidity")) {
            ps.setLong(1, accountId);
            ps.setString(2, name.toString());
            ps.setString(3, uses.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** The account's id in {@code mk_account}. */
    public long accountId() {
        return accountId;
    }

    /** Another node changed the account: re-read subscriptions and the loaded mailboxes' names at the next use. */
    void markStale() {
        stale = true;
    }

    /** The loaded mailboxes. */
    List<PgMailbox> loadedMailboxes() {
        lock().lock();
        try {
            return List.copyOf(loaded.values());
        } finally {
            lock().unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- hooks

    @Override
    protected void checkOpen() {
        ctx.checkOpen();
        if (stale) {
            reconcile();
        }
    }

    /** Re-reads the subscriptions and the hierarchy (renames and deletions by other nodes reach loaded mailboxes). */
    void reconcile() {
        lock().lock();
        try {
            stale = false;
            mailboxNames();
            TreeSet<MailboxName> now = ctx.db().autoCommit(c -> {
                TreeSet<MailboxName> subs = new TreeSet<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT name FROM mk_subscription WHERE account_id = ?")) {
                    ps.setLong(1, accountId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            subs.add(MailboxName.of(rs.getString(1)));
                        }
                    }
                }
                return subs;
            });
            subscriptions.clear();
            subscriptions.addAll(now);
            persistedSubscriptions.clear();
            persistedSubscriptions.addAll(now);
        } catch (SQLException | MailStoreException e) {
            stale = true; // tried again at the next use
        } finally {
            lock().unlock();
        }
    }

    @Override
    protected Set<MailboxName> mailboxNames() {
        Map<MailboxName, Listed> now = new LinkedHashMap<>();
        try {
            ctx.db().autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, name, special_use, uidvalidity, "
                        + "highestmodseq, first_recent_uid FROM mk_mailbox WHERE account_id = ?")) {
                    ps.setLong(1, accountId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            now.put(MailboxName.of(rs.getString(2)), new Listed(rs.getLong(1), uses(rs.getString(3)),
                                    rs.getLong(4), rs.getLong(5), rs.getLong(6)));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw Db.failure("cannot list the mailboxes of " + id(), e);
        }
        listing = now;
        Map<Long, MailboxName> byId = new HashMap<>();
        now.forEach((n, l) -> byId.put(l.id(), n));
        for (PgMailbox m : List.copyOf(loaded.values())) {
            MailboxName n = byId.get(m.id());
            if (n == null) {
                loaded.remove(m.id());
                m.engine().markDeleted();
            } else if (!n.equals(m.engine().name())) {
                m.engine().setName(n);
            }
        }
        return now.keySet();
    }

    @Override
    protected boolean hasMailbox(MailboxName name) {
        try {
            return ctx.db().autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT 1 FROM mk_mailbox WHERE account_id = ? AND name = ?")) {
                    ps.setLong(1, accountId);
                    ps.setString(2, name.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (SQLException e) {
            throw Db.failure("cannot look up mailbox " + name, e);
        }
    }

    @Override
    protected MailboxEngine mailbox(MailboxName name) {
        long[] row;
        Set<SpecialUse> uses;
        try {
            Object[] r = ctx.db().autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT id, uidvalidity, special_use FROM mk_mailbox "
                        + "WHERE account_id = ? AND name = ?")) {
                    ps.setLong(1, accountId);
                    ps.setString(2, name.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)} : null;
                    }
                }
            });
            if (r == null) {
                throw notFound(name);
            }
            row = new long[] {(Long) r[0], (Long) r[1]};
            uses = uses((String) r[2]);
        } catch (SQLException e) {
            throw Db.failure("cannot open mailbox " + name, e);
        }
        PgMailbox m = loaded.get(row[0]);
        if (m != null && !m.engine().isDeleted() && !m.isDiverged()) {
            if (!m.engine().name().equals(name)) {
                m.engine().setName(name);
            }
            return m.engine();
        }
        return load(row[0], name, uses, row[1]).engine();
    }

    private PgMailbox load(long mailboxId, MailboxName name, Set<SpecialUse> uses, long uidValidity) {
        StoreSettings s = settings();
        PgMailbox[] self = new PgMailbox[1];
        try {
            PgMailbox m = new PgMailbox(ctx.db(), ctx.contents(), mailboxId, name, uses, uidValidity,
                    s.maxKeywordsPerMailbox(), quotaCounter(), s.clock(), () -> evict(self[0]));
            self[0] = m;
            PgMailbox old = loaded.put(mailboxId, m);
            if (old != null) {
                ctx.forget(old);
                old.engine().markDeleted();
            }
            ctx.register(m);
            return m;
        } catch (SQLException e) {
            throw Db.failure("cannot load mailbox " + name, e);
        }
    }

    /** Drops a loaded mailbox whose engine no longer matches the database (or that was deleted elsewhere). */
    private void evict(PgMailbox m) {
        if (m == null) {
            return;
        }
        lock().lock();
        try {
            loaded.remove(m.id(), m);
            ctx.forget(m);
        } finally {
            lock().unlock();
        }
        m.engine().markDeleted();
    }

    @Override
    protected Set<SpecialUse> listedSpecialUse(MailboxName name) {
        Listed l = listing.get(name);
        return l == null ? Set.of() : l.specialUse();
    }

    @Override
    protected MailboxEngine createMailbox(MailboxName name, Set<SpecialUse> specialUse) {
        Set<SpecialUse> uses = specialUse.isEmpty() ? settings().specialUseFor(name) : specialUse;
        long[] row;
        try {
            row = ctx.db().inTransaction(c -> {
                long[] r = insertMailbox(c, accountId, name, uses);
                changes.record(c, AccountChange.Kind.CREATED, name, null, null);
                notifyAccount(c);
                return r;
            });
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "mailbox " + name + " already exists");
            }
            throw Db.failure("cannot create mailbox " + name, e);
        }
        return load(row[0], name, uses, row[1]).engine();
    }

    @Override
    protected void deleteMailbox(MailboxName name) {
        Long gone;
        try {
            gone = ctx.db().inTransaction(c -> {
                Long id;
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM mk_mailbox WHERE account_id = ? AND name = ? RETURNING id")) {
                    ps.setLong(1, accountId);
                    ps.setString(2, name.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        id = rs.next() ? rs.getLong(1) : null;
                    }
                }
                if (id != null) {
                    changes.record(c, AccountChange.Kind.DELETED, name, null, null);
                }
                notifyAccount(c);
                return id;
            });
        } catch (SQLException e) {
            throw Db.failure("cannot delete mailbox " + name, e);
        }
        if (gone == null) {
            throw notFound(name);
        }
        PgMailbox m = loaded.remove(gone);
        if (m != null) {
            ctx.forget(m);
            m.engine().markDeleted();
        }
    }

    @Override
    protected void renameMailboxes(MailboxName from, MailboxName to, SortedMap<MailboxName, MailboxName> moves) {
        try {
            ctx.db().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SET CONSTRAINTS mk_mailbox_name DEFERRED")) {
                    ps.execute();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE mk_mailbox SET name = ? WHERE account_id = ? AND name = ?")) {
                    for (Map.Entry<MailboxName, MailboxName> e : moves.entrySet()) {
                        ps.setString(1, e.getValue().toString());
                        ps.setLong(2, accountId);
                        ps.setString(3, e.getKey().toString());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                for (Map.Entry<MailboxName, MailboxName> e : moves.entrySet()) {
                    changes.record(c, AccountChange.Kind.RENAMED, e.getValue(), e.getKey(), null);
                }
                notifyAccount(c);
                return null;
            });
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new MailStoreException(MailStoreException.Reason.ALREADY_EXISTS,
                        "cannot rename " + from + " to " + to + ": a mailbox of the new name exists");
            }
            throw Db.failure("cannot rename " + from + " to " + to, e);
        }
        for (PgMailbox m : loaded.values()) {
            MailboxName n = moves.get(m.engine().name());
            if (n != null) {
                m.engine().setName(n);
            }
        }
    }

    @Override
    protected SortedMap<String, byte[]> readMetadata(MailboxName mailbox) {
        try {
            return PgMetadata.read(ctx.db(), accountId, mailbox);
        } catch (SQLException e) {
            throw Db.failure("cannot read the metadata of " + (mailbox == null ? id() : mailbox), e);
        }
    }

    @Override
    protected void writeMetadata(MailboxName mailbox, Map<String, byte[]> changes) {
        try {
            PgMetadata.write(ctx.db(), accountId, mailbox, changes, ctx.settings().metadataLimits(), this.changes);
        } catch (SQLException e) {
            throw Db.failure("cannot change the metadata of " + (mailbox == null ? id() : mailbox), e);
        }
    }

    @Override
    protected void subscriptionsChanged(Set<MailboxName> now) {
        Set<MailboxName> added = new HashSet<>(now);
        added.removeAll(persistedSubscriptions);
        Set<MailboxName> removed = new HashSet<>(persistedSubscriptions);
        removed.removeAll(now);
        try {
            ctx.db().inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_subscription (account_id, name) "
                        + "VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                    for (MailboxName n : added) {
                        ps.setLong(1, accountId);
                        ps.setString(2, n.toString());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM mk_subscription WHERE account_id = ? AND name = ?")) {
                    for (MailboxName n : removed) {
                        ps.setLong(1, accountId);
                        ps.setString(2, n.toString());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                for (MailboxName n : new java.util.TreeSet<>(removed)) {
                    changes.record(c, AccountChange.Kind.UNSUBSCRIBED, n, null, null);
                }
                for (MailboxName n : new java.util.TreeSet<>(added)) {
                    changes.record(c, AccountChange.Kind.SUBSCRIBED, n, null, null);
                }
                notifyAccount(c);
                return null;
            });
        } catch (SQLException e) {
            // the engine changed its set already: read the database's again at the next use
            stale = true;
            throw Db.failure("cannot change the subscriptions of " + id(), e);
        }
        persistedSubscriptions.clear();
        persistedSubscriptions.addAll(now);
    }

    /**
     * Makes every mailbox counted for the quota with one read of the account's rows: a mailbox not loaded yet is
     * loaded (and counted), a loaded one whose HIGHESTMODSEQ in the database is ahead of this node's catches up; the
     * others (most, at every delivery) cost nothing more.
     */
    @Override
    protected void countAll() {
        List<PgMailbox> behind = new java.util.ArrayList<>();
        lock().lock();
        try {
            mailboxNames();
            for (Map.Entry<MailboxName, Listed> e : listing.entrySet()) {
                Listed l = e.getValue();
                PgMailbox m = loaded.get(l.id());
                if (m == null || m.engine().isDeleted() || m.isDiverged()) {
                    load(l.id(), e.getKey(), l.specialUse(), l.uidValidity());
                } else {
                    m.claimedElsewhere(l.firstRecent());
                    if (l.highestModSeq() > m.knownModSeq()) {
                        behind.add(m);
                    }
                }
            }
        } finally {
            lock().unlock();
        }
        for (PgMailbox m : behind) {
            m.catchUp();
        }
    }

    /** The account's changes are rows of {@code mk_account_change}, written with the changes (see {@link PgChanges}). */
    @Override
    protected void recordChange(AccountChange.Kind kind, MailboxName mailbox, MailboxName oldName, String entry) {
    }

    @Override
    public Optional<AccountChanges> changes() {
        return Optional.of(changes);
    }

    /** The account's change stream. */
    PgChanges changeStream() {
        return changes;
    }

    private void notifyAccount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, ctx.db().schema() + "_account");
            ps.setString(2, accountId + " " + ctx.instance());
            ps.executeQuery().close();
        }
    }

    private static Set<SpecialUse> uses(String s) {
        if (s == null || s.isEmpty()) {
            return Set.of();
        }
        EnumSet<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
        for (String u : s.split(",")) {
            try {
                set.add(SpecialUse.valueOf(u));
            } catch (IllegalArgumentException ignored) {
                // a use this version does not know
            }
        }
        return set;
    }

    @Override
    public String toString() {
        return "MailAccount{" + id() + "}";
    }
}
