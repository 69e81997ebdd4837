package dev.mailkit.core.auth;

import dev.mailkit.core.MailAddress;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UserDirectory} held in memory. Passwords are stored only as salted PBKDF2 hashes ({@link PasswordHash}),
 * never in plain text. A user's login name is the address unless given otherwise; logins and address lookups ignore
 * case.
 *
 * <p>Users can be added and removed while servers use the directory. Unknown users cost the same hash computation
 * as wrong passwords, so the two cannot be told apart by timing.
 *
 * <p>Successful logins are remembered for a short time ({@link VerificationCache}), so that a client reconnecting
 * every minute does not pay the key derivation each time; wrong passwords always do.
 *
 * <p>Defaults: {@value PasswordHash#DEFAULT_ITERATIONS} PBKDF2 iterations; {@link VerificationCache#defaults()}
 * (5 minutes, 10 000 entries). Thread-safe.
 */
public final class InMemoryUserDirectory implements UserDirectory {
    private final Map<String, Entry> byUsername = new ConcurrentHashMap<>();
    private final Map<String, Entry> byAddress = new ConcurrentHashMap<>();
    private final int iterations;
    private final SecureRandom random;
    private final PasswordHash dummy;
    private final VerificationCache cache;

    private InMemoryUserDirectory(int iterations, SecureRandom random, VerificationCache cache, List<Pending> users) {
        this.iterations = iterations;
        this.random = random;
        this.cache = cache;
        // no key derivation at start: a cold JVM takes seconds for one at 100 000 iterations
        this.dummy = PasswordHash.unmatchable(iterations, random);
        for (Pending p : users) {
            add(p.username, p.address, p.hash);
        }
    }

    /** A builder for a directory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Adds (or replaces) a user whose login name is the address.
     *
     * @throws dev.mailkit.core.MailAddressException if the address is invalid
     */
    public InMemoryUserDirectory addUser(String address, String password) {
        return addUser(address, address, password);
    }

    /** Adds (or replaces) a user with a login name different from the address. */
    public InMemoryUserDirectory addUser(String username, String address, String password) {
        Objects.requireNonNull(password, "password");
        add(username, MailAddress.parse(address), PasswordHash.create(password.toCharArray(), iterations, random));
        return this;
    }

    /** Adds (or replaces) a user with an already hashed password ({@link PasswordHash#encoded()} form). */
    public InMemoryUserDirectory addUserWithHash(String username, String address, String encodedHash) {
        add(username, MailAddress.parse(address), PasswordHash.parse(encodedHash));
        return this;
    }

    /** Removes a user by login name; returns whether there was one. */
    public boolean removeUser(String username) {
        Entry e = byUsername.remove(key(username));
        if (e != null) {
            byAddress.remove(e.user.address().lookupKey(), e);
        }
        return e != null;
    }

    /** All users, in no particular order. */
    public List<MailUser> users() {
        List<MailUser> out = new ArrayList<>();
        for (Entry e : byUsername.values()) {
            out.add(e.user);
        }
        return out;
    }

    private void add(String username, MailAddress address, PasswordHash hash) {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty() || username.chars().anyMatch(c -> c < 32 || c == 127)) {
            throw new IllegalArgumentException("user name must be non-empty and free of control characters");
        }
        Entry e = new Entry(new MailUser(username, address), hash);
        Entry old = byUsername.put(key(username), e);
        if (old != null) {
            byAddress.remove(old.user.address().lookupKey(), old);
        }
        byAddress.put(address.lookupKey(), e);
    }

    @Override
    public Optional<MailUser> authenticate(String username, char[] password) {
        Entry e = username == null ? null : byUsername.get(key(username));
        if (e == null) {
            dummy.matches(password); // same cost as a real check
            return Optional.empty();
        }
        String stored = e.hash.encoded();
        if (cache.verified(username, password, stored)) {
            return Optional.of(e.user);
        }
        if (!e.hash.matches(password)) {
            return Optional.empty();
        }
        cache.remember(username, password, stored);
        return Optional.of(e.user);
    }

    /** The cache of successful verifications this directory consults (its size, or to clear it). */
    public VerificationCache verificationCache() {
        return cache;
    }

    @Override
    public Optional<MailUser> findByAddress(MailAddress address) {
        Entry e = byAddress.get(address.lookupKey());
        return e == null ? Optional.empty() : Optional.of(e.user);
    }

    @Override
    public Optional<MailUser> findByUsername(String username) {
        Entry e = byUsername.get(key(username));
        return e == null ? Optional.empty() : Optional.of(e.user);
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "InMemoryUserDirectory{" + byUsername.size() + " users}";
    }

    private static final class Entry {
        final MailUser user;
        final PasswordHash hash;

        Entry(MailUser user, PasswordHash hash) {
            this.user = user;
            this.hash = hash;
        }
    }

    private static final class Pending {
        final String username;
        final MailAddress address;
        final PasswordHash hash;

        Pending(String username, MailAddress address, PasswordHash hash) {
            this.username = username;
            this.address = address;
            this.hash = hash;
        }
    }

    /** Builds an {@link InMemoryUserDirectory}. Not thread-safe. */
    public static final class Builder {
        private final List<Pending> users = new ArrayList<>();
        private final List<String[]> plain = new ArrayList<>();
        private int iterations = PasswordHash.DEFAULT_ITERATIONS;
        private SecureRandom random = new SecureRandom();
        private VerificationCache cache;

        private Builder() {
        }

        /** Adds a user whose login name is the address. */
        public Builder user(String address, String password) {
            return user(address, address, password);
        }

        /** Adds a user with its own login name. */
        public Builder user(String username, String address, String password) {
            MailAddress.parse(address); // fail early, with the parse error
            plain.add(new String[] {username, address, Objects.requireNonNull(password, "password")});
            return this;
        }

        /** Adds a user with an already hashed password. */
        public Builder userWithHash(String username, String address, String encodedHash) {
            users.add(new Pending(username, MailAddress.parse(address), PasswordHash.parse(encodedHash)));
            return this;
        }

        /**
         * The PBKDF2 iteration count for passwords hashed by this directory (default
         * {@value PasswordHash#DEFAULT_ITERATIONS}). Throwaway test servers may lower it to start faster.
         */
        public Builder passwordHashIterations(int iterations) {
            if (iterations < 1) {
                throw new IllegalArgumentException("passwordHashIterations must be at least 1, was " + iterations);
            }
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

        /** Builds the directory, hashing every password given in plain text. */
        public InMemoryUserDirectory build() {
            List<Pending> all = new ArrayList<>(users);
            for (String[] p : plain) {
                all.add(new Pending(p[0], MailAddress.parse(p[1]),
                        PasswordHash.create(p[2].toCharArray(), iterations, random)));
            }
            return new InMemoryUserDirectory(iterations, random, cache == null ? VerificationCache.defaults() : cache,
                    all);
        }
    }
}
