package dev.mailkit.postgres.internal;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.StoreSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The state of one {@code PostgresMailStore} on this node: its accounts and loaded mailboxes, and how other nodes'
 * changes reach them. A notification on the schema's mailbox channel ({@code "<mailbox id> <modseq>"}) schedules a
 * catch-up read of that mailbox if this node has not applied that MODSEQ yet; one on the account channel marks the
 * account to be re-read (if another node changed it) and runs its change listeners (whichever node changed it);
 * every tick, one query compares every loaded mailbox's HIGHESTMODSEQ with the database's and one every listened-to
 * account's change number, so a lost notification delays a change by one tick at most; after a reconnection
 * everything is compared. Thread-safe.
 */
public final class StoreContext implements Notifications.Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(StoreContext.class);

    private final Db db;
    private final Contents contents;
    private final StoreSettings settings;
    private final String instance = UUID.randomUUID().toString();
    private final ConcurrentHashMap<AccountId, PgAccount> accounts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PgAccount> accountsById = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, PgMailbox> mailboxes = new ConcurrentHashMap<>();
    private final AtomicBoolean tickRunning = new AtomicBoolean();
    private volatile boolean closed;

    /** A store's state; call {@link #start()} to hear other nodes. */
    public StoreContext(Db db, StoreSettings settings, long structureCacheBytes) {
        this.db = db;
        this.settings = settings;
        this.contents = new Contents(db, structureCacheBytes);
    }

    /** Starts listening for other nodes' changes. */
    public void start() {
        db.notifications().subscribe(this);
    }

    Db db() {
        return db;
    }

    Contents contents() {
        return contents;
    }

    StoreSettings settings() {
        return settings;
    }

    String instance() {
        return instance;
    }

    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the PostgreSQL mail store is closed");
        }
    }

    /** The account, loaded (and created in the database) on first use. */
    public MailAccount account(AccountId id) {
        checkOpen();
        PgAccount a = accounts.get(id);
        if (a != null) {
            return a;
        }
        PgAccount loaded = PgAccount.load(this, id);
        PgAccount raced = accounts.putIfAbsent(id, loaded);
        if (raced != null) {
            return raced;
        }
        accountsById.put(loaded.accountId(), loaded);
        return loaded;
    }

    void register(PgMailbox m) {
        mailboxes.put(m.id(), m);
    }

    void forget(PgMailbox m) {
        mailboxes.remove(m.id(), m);
    }

    /**
     * Content rows no message refers to, older than {@code graceSeconds}, deleted; and old expunge records and
     * account change records.
     */
    public int collectGarbage(long graceSeconds, long expungedRecordSeconds) throws SQLException {
        int n = contents.collectGarbage(graceSeconds);
        n += db.autoCommit(c -> {
            // a node that was not told of an expunge for this long has compared its mailboxes many times since
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM mk_expunged WHERE at < now() - make_interval(secs => ?)")) {
                ps.setLong(1, expungedRecordSeconds);
                int deleted = ps.executeUpdate();
                try (PreparedStatement ch = c.prepareStatement( // the same age for account changes (V8)
                        "DELETE FROM mk_account_change WHERE at < now() - make_interval(secs => ?)")) {
                    ch.setLong(1, expungedRecordSeconds);
                    return deleted + ch.executeUpdate();
                }
            }
        });
        return n;
    }

    // ---------------------------------------------------------------------------------------------- notifications

    @Override
    public void notified(String channel, String payload) {
        if (closed) {
            return;
        }
        String[] p = payload.split(" ");
        try {
            if (channel.endsWith("_mailbox") && p.length >= 2) {
                PgMailbox m = mailboxes.get(Long.parseLong(p[0]));
                if (m != null && Long.parseLong(p[1]) > m.knownModSeq()) {
                    m.scheduleCatchUp();
                }
            } else if (channel.endsWith("_account") && p.length >= 1) {
                PgAccount a = accountsById.get(Long.parseLong(p[0]));
                if (a != null && (p.length < 2 || !instance.equals(p[1]))) {
                    a.markStale();
                    db.executor().execute(a::reconcile);
                }
                if (a != null) {
                    a.changeStream().fire(); // this node's changes too: one path for every session
                }
            }
        } catch (NumberFormatException e) {
            LOG.debug("ignoring notification {} on {}", payload, channel);
        }
    }

    @Override
    public void resync() {
        for (PgAccount a : accounts.values()) {
            a.markStale();
            a.changeStream().fire();
        }
        tick();
    }

    @Override
    public void tick() {
        if (closed || !tickRunning.compareAndSet(false, true)) {
            return;
        }
        db.executor().execute(() -> {
            try {
                if (!mailboxes.isEmpty()) {
                    compareAll();
                }
                compareAccounts();
            } finally {
                tickRunning.set(false);
            }
        });
    }

    /** One query: every loaded mailbox whose HIGHESTMODSEQ in the database is ahead of this node's catches up. */
    private void compareAll() {
        List<PgMailbox> all = List.copyOf(mailboxes.values());
        Map<Long, Long> now = new HashMap<>();
        try {
            db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, highestmodseq FROM mk_mailbox WHERE id = ANY (?)")) {
                    Long[] ids = all.stream().map(PgMailbox::id).toArray(Long[]::new);
                    ps.setArray(1, c.createArrayOf("bigint", ids));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            now.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            return; // the next tick tries again
        }
        for (PgMailbox m : all) {
            Long modSeq = now.get(m.id());
            if (modSeq == null || modSeq > m.knownModSeq()) {
                m.scheduleCatchUp(); // a deleted one finds out there
            }
        }
    }

    /** One query: every account with change listeners whose change number is ahead of the last heard runs them. */
    private void compareAccounts() {
        List<PgChanges> heard = accounts.values().stream().map(PgAccount::changeStream)
                .filter(PgChanges::hasListeners).toList();
        if (heard.isEmpty()) {
            return;
        }
        Map<Long, Long> now = new HashMap<>();
        try {
            db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, change_seq FROM mk_account WHERE id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", heard.stream().map(PgChanges::accountId)
                            .toArray(Long[]::new)));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            now.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            return; // the next tick tries again
        }
        for (PgChanges ch : heard) {
            Long seq = now.get(ch.accountId());
            if (seq != null) {
                ch.fireIfBehind(seq);
            }
        }
    }

    /** Stops listening; the accounts become unusable. */
    public void close() {
        closed = true;
        db.notifications().unsubscribe(this);
        accounts.clear();
        accountsById.clear();
        mailboxes.clear();
    }
}
