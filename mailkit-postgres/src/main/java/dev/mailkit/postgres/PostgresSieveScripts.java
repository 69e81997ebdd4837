package dev.mailkit.postgres;

import dev.mailkit.postgres.internal.Db;
import dev.mailkit.sieve.SieveScriptStore;
import dev.mailkit.sieve.VacationMemory;
import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Users' Sieve scripts in the database every node shares ({@code mk_sieve_script}): the {@link SieveScriptStore} to
 * give mailkit-sieve's {@code SieveDelivery} and {@code ManageSieveServer} when mailboxes are in
 * {@link PostgresMailStore}, so that any node runs a user's active script at delivery and a script uploaded over
 * ManageSieve on one node is seen, and filters, on every other at once. Each change is one transaction (committed
 * when the method returns); changes to one user's activation, deletion and renaming take a lock of that user's, so
 * two nodes changing them at once take turns. Vacation replies are remembered in the same database
 * ({@link PostgresVacationMemory}). Names are checked by the callers ({@code SieveScripts.nameProblem}).
 *
 * <pre>{@code
 * PostgresSieveScripts scripts = PostgresSieveScripts.of(db);
 * SieveDelivery sieve = SieveDelivery.builder().scripts(scripts).outbound(queue).build(); // vacation: in db too
 * ManageSieveServer manageSieve = ManageSieveServer.builder().scripts(scripts).users(users).build();
 * }</pre>
 *
 * <p>A database failure is an {@link IOException} (ManageSieve answers {@code NO (TRYLATER)}; a delivery fails
 * temporarily). Thread-safe.
 */
public final class PostgresSieveScripts implements SieveScriptStore {
    private final Db db;

    private PostgresSieveScripts(Db db) {
        this.db = db;
    }

    /** The scripts in {@code database} (its schema is migrated with the tables when the database is built). */
    public static PostgresSieveScripts of(PostgresDatabase database) {
        return new PostgresSieveScripts(Objects.requireNonNull(database, "database").db());
    }

    private static String key(AccountId account) {
        return account.toString();
    }

    @Override
    public List<String> list(AccountId account) throws IOException {
        List<String> names = run("list the Sieve scripts of " + account, false, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM mk_sieve_script WHERE account = ?")) {
                ps.setString(1, key(account));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        names.sort(null); // Java's order, as SieveScripts sorts, whatever the database's collation
        return names;
    }

    @Override
    public Optional<String> read(AccountId account, String name) throws IOException {
        return Optional.ofNullable(run("read the Sieve script " + name + " of " + account, false,
                c -> one(c, "SELECT source FROM mk_sieve_script WHERE account = ? AND name = ?", key(account), name)));
    }

    @Override
    public void write(AccountId account, String name, String source) throws IOException {
        Objects.requireNonNull(source, "source");
        run("write the Sieve script " + name + " of " + account, false, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mk_sieve_script (account, name, source) "
                    + "VALUES (?, ?, ?) ON CONFLICT (account, name) DO UPDATE SET source = excluded.source")) {
                ps.setString(1, key(account));
                ps.setString(2, name);
                ps.setString(3, source);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<String> activeName(AccountId account) throws IOException {
        return Optional.ofNullable(run("read the active Sieve script of " + account, false,
                c -> one(c, "SELECT name FROM mk_sieve_script WHERE account = ? AND active", key(account))));
    }

    @Override
    public Optional<String> activeSource(AccountId account) throws IOException {
        return Optional.ofNullable(run("read the active Sieve script of " + account, false,
                c -> one(c, "SELECT source FROM mk_sieve_script WHERE account = ? AND active", key(account))));
    }

    @Override
    public void activate(AccountId account, String name) throws IOException {
        boolean found = run("activate the Sieve script " + name + " of " + account, true, c -> {
            lock(c, account);
            try (PreparedStatement ps = c.prepareStatement("UPDATE mk_sieve_script SET active = false "
                    + "WHERE account = ? AND active AND name IS DISTINCT FROM ?")) {
                ps.setString(1, key(account));
                ps.setString(2, name);
                ps.executeUpdate();
            }
            if (name == null) {
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mk_sieve_script SET active = true WHERE account = ? AND name = ?")) {
                ps.setString(1, key(account));
                ps.setString(2, name);
                if (ps.executeUpdate() == 0) {
                    c.rollback(); // nothing changes: the active script stays active
                    return false;
                }
            }
            return true;
        });
        if (!found) {
            throw new NoSuchFileException(name);
        }
    }

    @Override
    public boolean delete(AccountId account, String name) throws IOException {
        Boolean active = run("delete the Sieve script " + name + " of " + account, true, c -> {
            lock(c, account);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mk_sieve_script "
                    + "WHERE account = ? AND name = ? AND NOT active RETURNING 1")) {
                ps.setString(1, key(account));
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            String exists = one(c, "SELECT name FROM mk_sieve_script WHERE account = ? AND name = ?", key(account),
                    name);
            return exists == null ? null : Boolean.TRUE;
        });
        if (Boolean.TRUE.equals(active)) {
            throw new IllegalStateException("the active script cannot be deleted");
        }
        return active != null;
    }

    @Override
    public boolean rename(AccountId account, String from, String to) throws IOException {
        int r = run("rename the Sieve script " + from + " of " + account, true, c -> {
            lock(c, account);
            if (one(c, "SELECT name FROM mk_sieve_script WHERE account = ? AND name = ?", key(account), from)
                    == null) {
                return 0;
            }
            if (one(c, "SELECT name FROM mk_sieve_script WHERE account = ? AND name = ?", key(account), to)
                    != null) {
                return -1;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mk_sieve_script SET name = ? WHERE account = ? AND name = ?")) {
                ps.setString(1, to);
                ps.setString(2, key(account));
                ps.setString(3, from);
                ps.executeUpdate();
            }
            return 1;
        });
        if (r < 0) {
            throw new FileAlreadyExistsException(to);
        }
        return r > 0;
    }

    /** Serialises changes to one user's scripts across nodes (a lock for this transaction only). */
    private static void lock(Connection c, AccountId account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
            ps.setString(1, "mk_sieve_script " + key(account));
            ps.executeQuery().close();
        }
    }

    private static String one(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private <T> T run(String what, boolean transaction, Db.Work<T> work) throws IOException {
        try {
            return transaction ? db.inTransaction(work) : db.autoCommit(work);
        } catch (SQLException e) {
            throw new IOException("cannot " + what + ": " + (Db.isUnavailable(e)
                    ? "the database is unavailable (" + e.getMessage() + "); try again later" : e.getMessage()), e);
        }
    }

    /** Vacation replies in the same database ({@link PostgresVacationMemory}). */
    @Override
    public Optional<VacationMemory> vacationMemory() {
        return Optional.of(new PostgresVacationMemory(db));
    }

    @Override
    public String toString() {
        return "PostgresSieveScripts{" + db.schema() + "}";
    }
}
