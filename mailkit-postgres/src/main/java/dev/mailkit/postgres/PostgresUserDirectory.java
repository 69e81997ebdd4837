package dev.mailkit.postgres;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.PasswordHash;
import dev.mailkit.core.auth.VerificationCache;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.postgres.internal.Db;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link UserDirectory} in PostgreSQL tables, shared by every node on the database: users ({@code mk_user}: login
 * name, mailbox address, password hash), aliases ({@code mk_alias}: more addresses of a user's mailbox) and local
 * domains ({@code mk_domain}). Passwords are stored as PBKDF2-SHA256 hashes in modular crypt form
 * ({@code $pbkdf2-sha256$...}, the form core's {@link PasswordHash} writes; a hash made elsewhere in that form can be
 * set with {@link #addUserWithHash}). A login with an unknown name costs the same key derivation as a wrong password.
 * Each node remembers its successful logins for a short time ({@link VerificationCache}, default 5 minutes); every
 * login still reads the user's row, so a password changed or a user disabled on any node takes effect at once.
 *
 * <pre>{@code
 * PostgresUserDirectory users = PostgresUserDirectory.builder(db).build();
 * users.addDomain("example.com");
 * users.addUser("ann", MailAddress.parse("ann@example.com"), "secret".toCharArray());
 * users.addAlias(MailAddress.parse("sales@example.com"), "ann");
 * }</pre>
 *
 * <p>A lookup that cannot reach the database throws {@link IllegalStateException} (it never answers "no such
 * user" for a database failure); the servers answer it with a temporary failure. Thread-safe.
 */
public final class PostgresUserDirectory implements UserDirectory {
    private final Db db;
    private final int iterations;
    private final SecureRandom random;
    private final PasswordHash dummy;
    private final VerificationCache cache;

    private PostgresUserDirectory(Builder b) {
        this.db = b.database.db();
        this.iterations = b.iterations;
        this.random = b.random;
        this.dummy = PasswordHash.unmatchable(iterations, random); // costs a derivation to check, none to make
        this.cache = b.cache;
    }

    /** A builder for a directory in {@code database}. */
    public static Builder builder(PostgresDatabase database) {
        return new Builder(database);
    }

    // ---------------------------------------------------------------------------------------------- UserDirectory

    @Override
    public Optional<MailUser> authenticate(String username, char[] password) {
        Objects.requireNonNull(password, "password");
        Row r = username == null ? null : query("SELECT username, address, password_hash FROM mk_user "
                + "WHERE username_key = ? AND NOT disabled", key(username));
        if (r == null) {
            dummy.matches(password); // same cost as a real check
            return Optional.empty();
        }
        PasswordHash hash;
        try {
            hash = PasswordHash.parse(r.hash);
        } catch (IllegalArgumentException e) {
            dummy.matches(password);
            return Optional.empty();
        }
        if (cache.verified(username, password, r.hash)) {
            return Optional.of(r.user());
        }
        if (!hash.matches(password)) {
            return Optional.empty();
        }
        cache.remember(username, password, r.hash);
        return Optional.of(r.user());
    }

    /** This node's cache of successful verifications. */
    public VerificationCache verificationCache() {
        return cache;
    }

    @Override
    public Optional<MailUser> findByAddress(MailAddress address) {
        String k = address.lookupKey();
        Row r = query("SELECT u.username, u.address, u.password_hash FROM mk_user u WHERE u.address_key = ? "
                + "AND NOT u.disabled UNION ALL SELECT u.username, u.address, u.password_hash FROM mk_alias a "
                + "JOIN mk_user u ON u.username_key = a.username_key WHERE a.address_key = ? AND NOT u.disabled "
                + "LIMIT 1", k, k);
        return r == null ? Optional.empty() : Optional.of(r.user());
    }

    @Override
    public Optional<MailUser> findByUsername(String username) {
        Row r = query("SELECT username, address, password_hash FROM mk_user WHERE username_key = ? AND NOT disabled",
                key(username));
        return r == null ? Optional.empty() : Optional.of(r.user());
    }

    // ---------------------------------------------------------------------------------------------- management

    /**
     * Adds a user with a password (hashed here).
     *
     * @throws IllegalArgumentException if the name or the address is taken
     * @throws IllegalStateException    if the database cannot be reached
     */
    public void addUser(String username, MailAddress address, char[] password) {
        addUserWithHash(username, address, PasswordHash.create(password, iterations, random).encoded());
    }

    /**
     * Adds a user with a password hash in modular crypt form ({@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}).
     *
     * @throws IllegalArgumentException if the hash cannot be read, or the name or the address is taken
     */
    public void addUserWithHash(String username, MailAddress address, String encodedHash) {
        checkName(username);
        PasswordHash.parse(encodedHash);
        update("INSERT INTO mk_user (username_key, username, address, address_key, password_hash) "
                + "VALUES (?, ?, ?, ?, ?)", "user " + username + " or address " + address + " already exists",
                key(username), username, address.toString(), address.lookupKey(), encodedHash);
    }

    /** Sets a user's password; false if there is no such user. */
    public boolean setPassword(String username, char[] password) {
        return update("UPDATE mk_user SET password_hash = ? WHERE username_key = ?", null,
                PasswordHash.create(password, iterations, random).encoded(), key(username)) > 0;
    }

    /** Disables or enables a user (a disabled user cannot log in and receives no mail); false if none. */
    public boolean setDisabled(String username, boolean disabled) {
        return update("UPDATE mk_user SET disabled = ? WHERE username_key = ?", null, disabled, key(username)) > 0;
    }

    /** Removes a user and the user's aliases (not the mailboxes); false if there was none. */
    public boolean removeUser(String username) {
        return update("DELETE FROM mk_user WHERE username_key = ?", null, key(username)) > 0;
    }

    /**
     * Makes {@code alias} another address of the user's mailbox.
     *
     * @throws IllegalArgumentException if there is no such user, or the address is taken
     */
    public void addAlias(MailAddress alias, String username) {
        if (query("SELECT username, address, password_hash FROM mk_user WHERE address_key = ?", alias.lookupKey())
                != null) {
            throw new IllegalArgumentException(alias + " is a user's own address");
        }
        int n = update("INSERT INTO mk_alias (address_key, address, username_key) SELECT ?, ?, username_key "
                + "FROM mk_user WHERE username_key = ?", "the alias " + alias + " already exists",
                alias.lookupKey(), alias.toString(), key(username));
        if (n == 0) {
            throw new IllegalArgumentException("there is no user " + username);
        }
    }

    /** Removes an alias; false if there was none. */
    public boolean removeAlias(MailAddress alias) {
        return update("DELETE FROM mk_alias WHERE address_key = ?", null, alias.lookupKey()) > 0;
    }

    /** Adds a local domain (idempotent). */
    public void addDomain(String domain) {
        update("INSERT INTO mk_domain (name) VALUES (?) ON CONFLICT DO NOTHING", null, domainKey(domain));
    }

    /** Removes a local domain; false if it was not one. */
    public boolean removeDomain(String domain) {
        return update("DELETE FROM mk_domain WHERE name = ?", null, domainKey(domain)) > 0;
    }

    /** Whether mail for this domain is local (case-insensitive). */
    public boolean isLocalDomain(String domain) {
        return query("SELECT name, name, name FROM mk_domain WHERE name = ?", domainKey(domain)) != null;
    }

    /** The local domains, sorted. */
    public List<String> domains() {
        return list("SELECT name FROM mk_domain ORDER BY name");
    }

    /** The users' login names, sorted. */
    public List<String> usernames() {
        return list("SELECT username FROM mk_user ORDER BY username_key");
    }

    // ---------------------------------------------------------------------------------------------- SQL

    private record Row(String username, String address, String hash) {
        MailUser user() {
            return new MailUser(username, MailAddress.parse(address));
        }
    }

    private Row query(String sql, Object... args) {
        try {
            return db.autoCommit(c -> {
                try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the user directory: " + e.getMessage(), e);
        }
    }

    private List<String> list(String sql) {
        try {
            return db.autoCommit(c -> {
                List<String> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the user directory: " + e.getMessage(), e);
        }
    }

    private int update(String sql, String conflict, Object... args) {
        try {
            return db.autoCommit(c -> {
                try (PreparedStatement ps = prepare(c, sql, args)) {
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            if (conflict != null && Db.isUniqueViolation(e)) {
                throw new IllegalArgumentException(conflict);
            }
            throw new IllegalStateException("cannot change the user directory: " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    private static String domainKey(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.length() > 253 || !d.matches("[a-z0-9.-]+|\\[[0-9a-f:.]+]")) {
            throw new IllegalArgumentException("not a domain: " + domain);
        }
        return d;
    }

    private static void checkName(String username) {
        if (username == null || username.isEmpty() || username.length() > 320
                || username.chars().anyMatch(ch -> ch < 0x21 || ch == 0x7f)) {
            throw new IllegalArgumentException("a user name is 1 to 320 visible characters without spaces");
        }
    }

    @Override
    public String toString() {
        return "PostgresUserDirectory{" + db.schema() + "}";
    }

    /** Configures a {@link PostgresUserDirectory}. Not thread-safe. */
    public static final class Builder {
        private final PostgresDatabase database;
        private int iterations = PasswordHash.DEFAULT_ITERATIONS;
        private SecureRandom random = new SecureRandom();
        private VerificationCache cache = VerificationCache.defaults();

        private Builder(PostgresDatabase database) {
            this.database = Objects.requireNonNull(database, "database");
        }

        /** PBKDF2 iterations for passwords set through this directory (default 100 000). */
        public Builder passwordHashIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** The randomness for salts (default a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The cache of successful verifications (default {@link VerificationCache#defaults()};
         * {@link VerificationCache#disabled()} makes every login derive).
         */
        public Builder verificationCache(VerificationCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /**
         * The directory.
         *
         * @throws IllegalStateException if the iteration count is below 1000
         */
        public PostgresUserDirectory build() {
            if (iterations < 1000) {
                throw new IllegalStateException("passwordHashIterations must be at least 1000, was " + iterations);
            }
            return new PostgresUserDirectory(this);
        }
    }
}
