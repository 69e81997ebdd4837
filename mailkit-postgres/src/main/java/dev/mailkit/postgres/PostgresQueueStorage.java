package dev.mailkit.postgres;

import dev.mailkit.postgres.internal.QueueClaims;
import dev.mailkit.postgres.internal.QueueRows;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueuedMessage;
import dev.mailkit.relay.spi.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The relay queue in PostgreSQL, shared by any number of nodes: the {@link QueueStorage} for
 * {@code RelayQueue.builder(storage)} (mailkit-relay, an optional dependency of this module).
 *
 * <pre>{@code
 * try (RelayQueue relay = RelayQueue.builder(PostgresQueueStorage.builder(db).build())
 *         .hostName("mx1.example.com").build().start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>A message is written (content in chunks of 256 KiB, stored once however many recipients it has) and committed
 * with one synchronous commit before the client hears 250. The node that accepted it delivers it and holds a lease on
 * it (owner node name and expiry, by the database's clock), renewed for all its messages every third of the lease
 * time; each recipient's result is recorded as it happens, so a recipient recorded as delivered is never sent again.
 * When a node dies (or loses the database for longer than the lease), its messages' leases run out and another node
 * claims them ({@code FOR UPDATE SKIP LOCKED}, checked every third of the lease time) and delivers the recipients not
 * yet recorded; only the recipients whose transaction was under way at the moment of death can be sent twice, as
 * with every MTA. A node restarted under the same {@link PostgresDatabase.Builder#nodeName name} takes its messages
 * back at once. A node paused for longer than the lease (a stop-the-world pause, {@code SIGSTOP}, a frozen VM) may find
 * its messages claimed by another node meanwhile; it is fenced off them: every claim raises the message's lease epoch,
 * and the node's writes for a message (results, attempts, holds, its removal) and its read of the content before each
 * delivery require the owner and epoch under which it holds the message, so once resumed it neither records results
 * nor delivers again what it no longer holds ({@link dev.mailkit.relay.spi.LeaseLostException}; the relay then
 * forgets the message). Only the transactions in flight at the pause can be sent twice, as at a crash.
 *
 * <p>Defaults: a 30 s lease, up to 500 messages claimed at once. The queue management ({@code RelayQueue.list},
 * {@code entry}, {@code flush}, {@code hold}, {@code release}, {@code delete}, ...) of any node covers the whole shared
 * queue: the listing includes the messages other nodes hold, and an action on one of them takes it over first (this
 * node holds it under a new lease epoch, the other node is fenced off it; a transaction that node had under way at
 * that moment can reach its recipients twice, as at a crash). Thread-safe. Closing (closing the queue does
 * it) ends this node's leases, so that other nodes take its messages over at once; the database stays open.
 */
public final class PostgresQueueStorage implements QueueStorage {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresQueueStorage.class);

    private final PostgresDatabase database;
    private final QueueRows rows;
    private final QueueClaims claims;
    private final Duration lease;
    private final int claimLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stop = lock.newCondition();
    private final Thread renewal;
    private boolean closed;

    private PostgresQueueStorage(Builder b) {
        this.database = b.database;
        this.lease = b.lease;
        this.claimLimit = b.claimLimit;
        this.rows = new QueueRows(database.db(), lease);
        this.claims = new QueueClaims(rows);
        this.renewal = new Thread(this::renewLoop, "mailkit-queue-lease-" + database.nodeName());
        renewal.setDaemon(true);
        renewal.start();
    }

    /** A builder for the queue in {@code database}'s schema. */
    public static Builder builder(PostgresDatabase database) {
        return new Builder(database);
    }

    /** The lease time. */
    public Duration lease() {
        return lease;
    }

    private static final class Written implements Prepared {
        private final String id;
        private final long length;

        Written(String id, long length) {
            this.id = id;
            this.length = length;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public long contentLength() {
            return length;
        }
    }

    @Override
    public Prepared write(QueuedMessage message, ContentWriter content, long sizeHint) throws IOException {
        return new Written(message.id(), rows.write(message, content, sizeHint));
    }

    @Override
    public void commit(Prepared prepared) throws IOException {
        rows.commit(prepared.id());
    }

    @Override
    public void abort(Prepared prepared) {
        try {
            rows.delete(prepared.id(), false);
        } catch (IOException e) {
            // left uncommitted: removed by whichever node claims work after its lease
            LOG.warn("cannot delete the aborted queued message {}: {}", prepared.id(), e.getMessage());
        }
    }

    @Override
    public InputStream content(String id) throws IOException {
        return rows.content(id);
    }

    @Override
    public void record(String id, List<StateChange> changes) throws IOException {
        if (!changes.isEmpty()) {
            rows.record(id, changes);
        }
    }

    @Override
    public void remove(String id, boolean waitDurable) throws IOException {
        rows.delete(id, waitDurable);
    }

    @Override
    public List<Recovered> recover() throws IOException {
        return claims.claim(true, Integer.MAX_VALUE);
    }

    @Override
    public List<Recovered> claim() throws IOException {
        return claims.claim(false, claimLimit);
    }

    @Override
    public Optional<List<Recovered>> wholeQueue() throws IOException {
        return Optional.of(claims.wholeQueue());
    }

    @Override
    public Optional<Recovered> takeOver(String id) throws IOException {
        return claims.takeOver(id);
    }

    @Override
    public Duration claimInterval() {
        return lease.dividedBy(3);
    }

    @Override
    public String describe() {
        return "PostgreSQL " + database.jdbcUrl() + " schema " + database.schema() + " node " + database.nodeName();
    }

    private void renewLoop() {
        long every = lease.dividedBy(3).toNanos();
        while (true) {
            lock.lock();
            try {
                long left = every;
                while (!closed && left > 0) {
                    left = stop.awaitNanos(left);
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                claims.renew();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("node {}: cannot renew the relay queue's leases (another node takes the messages over if "
                        + "this lasts {}): {}", database.nodeName(), lease, e.getMessage());
            }
        }
    }

    /**
     * Stops renewing the leases and ends them, so that other nodes take this node's messages over at once (if the
     * database cannot be reached, they do once the leases run out). Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stop.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            renewal.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            claims.release();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("node {}: cannot hand the relay queue's messages over at close (other nodes take them when the "
                    + "leases run out): {}", database.nodeName(), e.getMessage());
        }
    }

    /** Configures a {@link PostgresQueueStorage}. Defaults: 30 s lease, 500 messages per claim. Not thread-safe. */
    public static final class Builder {
        private final PostgresDatabase database;
        private Duration lease = Duration.ofSeconds(30);
        private int claimLimit = 500;

        private Builder(PostgresDatabase database) {
            this.database = Objects.requireNonNull(database, "database");
        }

        /**
         * How long a node's claim on its messages lasts without renewal (default 30 s): after a node dies, its
         * messages wait about this long (plus a third) before another node delivers them.
         */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /** The most messages a node claims at once from nodes that went away (default 500). */
        public Builder claimLimit(int max) {
            this.claimLimit = max;
            return this;
        }

        /**
         * Builds the storage and starts renewing leases.
         *
         * @throws IllegalStateException if a setting is out of range
         */
        public PostgresQueueStorage build() {
            if (lease == null || lease.toMillis() < 300) {
                throw new IllegalStateException("lease must be at least 300 ms, was " + lease);
            }
            if (claimLimit < 1) {
                throw new IllegalStateException("claimLimit must be at least 1, was " + claimLimit);
            }
            return new PostgresQueueStorage(this);
        }
    }
}
