package dev.mailkit.postgres.internal;

import dev.mailkit.store.MailStoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.concurrent.ExecutorService;

/**
 * What every part of mailkit-postgres shares of one database: the connection pool (whose connections use the
 * schema), the node's name, the notification hub and an executor for background work. Thread-safe.
 */
public final class Db {
    private final DataSource pool;
    private final String schema;
    private final String nodeName;
    private final Notifications notifications;
    private final ExecutorService executor;

    /** The shared parts; {@code notifications} is started by whoever subscribes first. */
    public Db(DataSource pool, String schema, String nodeName, Notifications notifications, ExecutorService executor) {
        this.pool = pool;
        this.schema = schema;
        this.nodeName = nodeName;
        this.notifications = notifications;
        this.executor = executor;
    }

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Runs with a connection. */
        T run(Connection c) throws SQLException;
    }

    /** A pooled connection (autocommit on). */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Runs {@code work} in one transaction, committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T t = work.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs {@code work} with autocommit on. */
    public <T> T autoCommit(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        }
    }

    /** Rolls back, ignoring a failure (the connection is broken then, and the pool drops it). */
    public static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone with the connection
        }
    }

    /**
     * A store exception for a database failure: the reason is {@code IO_ERROR}; the message says whether the
     * database could not be reached (a temporary failure a client should retry) or what it answered.
     */
    public static MailStoreException failure(String what, SQLException e) {
        return new MailStoreException(MailStoreException.Reason.IO_ERROR, what + ": "
                + (isUnavailable(e) ? "the database is unavailable (" + e.getMessage() + "); try again later"
                : e.getMessage()), e);
    }

    /**
     * Whether an error means that the database could not be reached or went away (SQLSTATE class 08, 57P
     * operator intervention, 53 insufficient resources, or the pool's time-out) rather than refused the statement.
     */
    public static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether an error is a unique-constraint violation (SQLSTATE 23505). */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** The schema the tables are in. */
    public String schema() {
        return schema;
    }

    /** This node's name. */
    public String nodeName() {
        return nodeName;
    }

    /** The notification hub. */
    public Notifications notifications() {
        return notifications;
    }

    /** The executor for background work (catch-up reads, waking views). */
    public ExecutorService executor() {
        return executor;
    }
}
