package dev.mailkit.postgres;

import dev.mailkit.postgres.internal.StoreContext;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreBuilder;
import dev.mailkit.store.MailStoreException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link MailStore} on PostgreSQL, for any number of mailkit nodes (JVMs) on one database: any node serves any
 * account over any protocol, and nodes keep no state of their own. It has the semantics of mailkit's other stores
 * (it passes the same contract and model-based tests as the in-memory and Maildir stores): UIDs and UIDVALIDITY
 * that never repeat even when several nodes append to one mailbox at once, flags and keywords, MODSEQ, quotas, the
 * cached MIME structure.
 *
 * <h2>How it works</h2>
 * Each node keeps, for the mailboxes in use, the same in-memory index as the other stores, and the database is the
 * record they share: a change locks the mailbox's row, applies what other nodes committed since, and commits its
 * rows, counters and a {@code NOTIFY} in one transaction, so UIDs and MODSEQs are handed out in one order across
 * nodes. A node hears of other nodes' changes through {@code LISTEN} and applies them in IMAP order (expunges,
 * new messages, flag changes), waking IDLE sessions; a periodic comparison (see
 * {@link PostgresDatabase.Builder#catchUpInterval}) finds what a lost notification would have said. Content is
 * stored in chunks of 256 KiB and streamed in and out (never whole in the heap); a message's body is stored once
 * for all its recipients and copies share it; the MIME structure is parsed once, at delivery.
 *
 * <h2>Failures</h2>
 * When the database cannot be reached, operations fail with {@link MailStoreException} ({@code IO_ERROR}, a
 * message that says so) after {@link PostgresDatabase.Builder#connectTimeout}; nothing is acknowledged that was not
 * committed. The pool and the listening connection reconnect by themselves.
 *
 * <pre>{@code
 * PostgresDatabase db = PostgresDatabase.builder("jdbc:postgresql://db/mail").user("mailkit").build();
 * MailStore store = PostgresMailStore.builder(db).standardMailboxes().build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} does not close the database.
 */
public final class PostgresMailStore implements MailStore {
    private final StoreContext ctx;

    private PostgresMailStore(StoreContext ctx) {
        this.ctx = ctx;
    }

    /** A builder for a store in {@code database}. */
    public static Builder builder(PostgresDatabase database) {
        return new Builder(database);
    }

    @Override
    public MailAccount account(AccountId id) {
        Objects.requireNonNull(id, "id");
        return ctx.account(id);
    }

    /**
     * Deletes stored content that no message refers to any more (expunged messages' bodies), if older than
     * {@code grace} (content being delivered is not referred to until its message is committed), and records of
     * expunges older than {@code expungeRecords}. Any node may run it at any time; run it periodically (daily).
     *
     * @return the number of rows deleted
     * @throws MailStoreException {@code IO_ERROR} if the database cannot be reached
     */
    public int collectGarbage(Duration grace, Duration expungeRecords) {
        try {
            return ctx.collectGarbage(grace.toSeconds(), expungeRecords.toSeconds());
        } catch (SQLException e) {
            throw new MailStoreException(MailStoreException.Reason.IO_ERROR,
                    "cannot collect unused content: " + e.getMessage(), e);
        }
    }

    /** Stops hearing other nodes' changes; the store cannot be used afterwards. Idempotent. */
    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public String toString() {
        return "PostgresMailStore{}";
    }

    /**
     * Configures a {@link PostgresMailStore}: the settings of every store (see {@link MailStoreBuilder}) and the
     * node's structure cache (default 32 MiB).
     */
    public static final class Builder extends MailStoreBuilder<Builder> {
        private final PostgresDatabase database;
        private long structureCacheBytes = 32L << 20;

        private Builder(PostgresDatabase database) {
            this.database = Objects.requireNonNull(database, "database");
        }

        /** How many bytes of parsed MIME structures the node keeps in memory (default 32 MiB; 0 for none). */
        public Builder structureCacheBytes(long bytes) {
            this.structureCacheBytes = bytes;
            return this;
        }

        /**
         * The store (the database's schema was migrated when the database was built).
         *
         * @throws IllegalStateException if a limit is out of range
         */
        public PostgresMailStore build() {
            if (structureCacheBytes < 0) {
                throw new IllegalStateException("structureCacheBytes must not be negative, was "
                        + structureCacheBytes);
            }
            StoreContext ctx = new StoreContext(database.db(), settings(), structureCacheBytes);
            ctx.start();
            return new PostgresMailStore(ctx);
        }
    }
}
