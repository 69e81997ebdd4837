package dev.mailkit.postgres;

import dev.mailkit.postgres.internal.Db;
import dev.mailkit.sieve.VacationMemory;
import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;

/**
 * Which senders got a user's vacation reply, in the database every node shares ({@code mk_sieve_vacation}): with
 * several nodes, a sender writing to a user through any of them gets one reply per period (RFC 5230 4.2), not one
 * per node. The check and the record are one statement, so concurrent deliveries on different nodes reply once.
 * Expired rows are overwritten in place; they are few (one per sender and handle). A database failure is an
 * {@link IOException}. Thread-safe.
 */
public final class PostgresVacationMemory implements VacationMemory {
    private final Db db;

    PostgresVacationMemory(Db db) {
        this.db = db;
    }

    /** The memory in {@code database}. */
    public static PostgresVacationMemory of(PostgresDatabase database) {
        return new PostgresVacationMemory(Objects.requireNonNull(database, "database").db());
    }

    @Override
    public boolean tryRecord(AccountId account, String key, Instant now, Instant until) throws IOException {
        try {
            return db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_sieve_vacation (account, key, until) "
                        + "VALUES (?, ?, ?) ON CONFLICT (account, key) DO UPDATE SET until = excluded.until "
                        + "WHERE mk_sieve_vacation.until <= ? RETURNING 1")) {
                    ps.setString(1, account.toString());
                    ps.setString(2, key);
                    ps.setTimestamp(3, Timestamp.from(until));
                    ps.setTimestamp(4, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot record a vacation reply of " + account + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(AccountId account, String key) throws IOException {
        try {
            db.autoCommit(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM mk_sieve_vacation WHERE account = ? AND key = ?")) {
                    ps.setString(1, account.toString());
                    ps.setString(2, key);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new IOException("cannot forget a vacation reply of " + account + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PostgresVacationMemory{" + db.schema() + "}";
    }
}
