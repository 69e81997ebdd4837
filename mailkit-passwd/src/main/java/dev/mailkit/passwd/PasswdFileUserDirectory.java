package dev.mailkit.passwd;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.auth.VerificationCache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link UserDirectory} over a Dovecot passwd-file ({@link PasswdFile}): the users and their hashed passwords in any
 * {@link PasswordScheme}. The file is read at {@link Builder#build()} (a bad file fails there, naming file and line),
 * and again when it changes: each lookup looks at the file's modification time and size at most once per
 * {@link Builder#recheckInterval}, as Dovecot does, so {@code mailkit user add} takes effect without a restart; and on
 * {@link #reload()}. A file that has become bad is not taken: the users read before stay, and {@link #reload()} says
 * why.
 *
 * <p>Successful verifications are remembered for {@link Builder#verificationCache} (by default 60 seconds, 10 000
 * logins; core's {@link VerificationCache}), so clients that reconnect every minute do not each pay a full key
 * derivation; a password change or removal takes effect at once. An unknown user costs a verification of a dummy
 * hash of the scheme most of the file uses. Thread-safe.
 */
public final class PasswdFileUserDirectory implements UserDirectory {
    private final Path file;
    private final Duration recheck;
    private final Clock clock;
    private final VerificationCache cache;
    private final SecureRandom random;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<PasswordScheme, String> dummies = new EnumMap<>(PasswordScheme.class);
    private volatile Snapshot snapshot;
    private volatile Instant nextCheck;
    private final java.util.concurrent.atomic.AtomicLong derivations = new java.util.concurrent.atomic.AtomicLong();

    private static final class Snapshot {
        final Map<String, PasswdFile.Entry> byUsername;
        final Map<String, PasswdFile.Entry> byAddress;
        final PasswordScheme common;
        final Object stamp;

        Snapshot(List<PasswdFile.Entry> entries, Object stamp) {
            this.byUsername = new HashMap<>();
            this.byAddress = new HashMap<>();
            Map<PasswordScheme, Integer> counts = new EnumMap<>(PasswordScheme.class);
            for (PasswdFile.Entry e : entries) {
                byUsername.put(e.username().toLowerCase(Locale.ROOT), e);
                byAddress.put(e.address().lookupKey(), e);
                counts.merge(PasswordScheme.check(e.password()), 1, Integer::sum);
            }
            this.common = counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse(PasswordScheme.SHA512_CRYPT);
            this.stamp = stamp;
        }
    }

    private PasswdFileUserDirectory(Builder b) {
        this.file = b.file;
        this.recheck = b.recheck;
        this.clock = b.clock;
        this.random = b.random;
        this.cache = b.cacheEntries == 0 ? null : VerificationCache.of(b.cacheTtl, b.cacheEntries, b.clock);
        Object stamp = stamp(file);
        this.snapshot = new Snapshot(PasswdFile.read(file), stamp);
        this.nextCheck = clock.instant().plus(recheck);
    }

    /** A builder for a directory over this file. */
    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** How many users the directory has now. */
    public int size() {
        return snapshot.byUsername.size();
    }

    /**
     * Reads the file again now.
     *
     * @return whether it had changed
     * @throws IllegalArgumentException naming file and line if the file is bad; the users read before stay
     */
    public boolean reload() {
        lock.lock();
        try {
            Object stamp = stamp(file);
            Snapshot next = new Snapshot(PasswdFile.read(file), stamp);
            boolean changed = !Objects.equals(stamp, snapshot.stamp) || !next.byUsername.keySet()
                    .equals(snapshot.byUsername.keySet());
            snapshot = next;
            nextCheck = clock.instant().plus(recheck);
            return changed;
        } finally {
            lock.unlock();
        }
    }

    /** Looks at the file's time and size if {@code recheck} has passed, and reads it again if they changed. */
    private Snapshot current() {
        Instant now = clock.instant();
        if (recheck.isZero() || now.isBefore(nextCheck) || !lock.tryLock()) {
            return snapshot;
        }
        try {
            nextCheck = now.plus(recheck);
            Object stamp = stamp(file);
            if (!Objects.equals(stamp, snapshot.stamp)) {
                try {
                    snapshot = new Snapshot(PasswdFile.read(file), stamp);
                } catch (IllegalArgumentException e) {
                    Log.LOG.warn("users file not reloaded, the users read before stay: {}", e.getMessage());
                }
            }
            return snapshot;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<MailUser> authenticate(String username, char[] password) {
        Snapshot s = current();
        PasswdFile.Entry e = username == null ? null : s.byUsername.get(username.toLowerCase(Locale.ROOT));
        if (e == null) {
            derivations.incrementAndGet();
            PasswordScheme.verify(password, dummy(s.common)); // the same cost as a real check
            return Optional.empty();
        }
        if (cache != null && cache.verified(e.username(), password, e.password())) {
            return Optional.of(user(e));
        }
        derivations.incrementAndGet();
        if (!PasswordScheme.verify(password, e.password())) {
            return Optional.empty();
        }
        if (cache != null) {
            cache.remember(e.username(), password, e.password());
        }
        return Optional.of(user(e));
    }

    @Override
    public Optional<MailUser> findByAddress(MailAddress address) {
        PasswdFile.Entry e = current().byAddress.get(address.lookupKey());
        return e == null ? Optional.empty() : Optional.of(user(e));
    }

    @Override
    public Optional<MailUser> findByUsername(String username) {
        PasswdFile.Entry e = current().byUsername.get(username.toLowerCase(Locale.ROOT));
        return e == null ? Optional.empty() : Optional.of(user(e));
    }

    /**
     * How many password hashes this directory has computed (logins of unknown users included; successes answered by
     * the verification cache not): what the cache saves shows here, and in a metric.
     */
    public long derivations() {
        return derivations.get();
    }

    /** The users, in file order. */
    public List<MailUser> users() {
        return current().byUsername.values().stream().sorted((a, b) -> Integer.compare(a.line(), b.line()))
                .map(PasswdFileUserDirectory::user).toList();
    }

    private String dummy(PasswordScheme scheme) {
        lock.lock();
        try {
            return dummies.computeIfAbsent(scheme, s -> s.hash("not a real password".toCharArray(), random));
        } finally {
            lock.unlock();
        }
    }

    private static MailUser user(PasswdFile.Entry e) {
        return new MailUser(e.username(), e.address());
    }

    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "PasswdFileUserDirectory{" + file + ", " + size() + " users}";
    }

    private static final class Log {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PasswdFileUserDirectory.class);
    }

    /** Builds a {@link PasswdFileUserDirectory}. Not thread-safe. */
    public static final class Builder {
        private final Path file;
        private Duration recheck = Duration.ofSeconds(1);
        private Duration cacheTtl = Duration.ofSeconds(60);
        private int cacheEntries = 10_000;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random = new SecureRandom();

        private Builder(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        /** How often at most a lookup looks whether the file changed (default 1 s; zero: only {@link #reload()}). */
        public Builder recheckInterval(Duration interval) {
            this.recheck = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How long a successful verification is remembered, and how many at most (default 60 s and 10 000;
         * {@code maxEntries} 0 turns the cache off).
         */
        public Builder verificationCache(Duration ttl, int maxEntries) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            this.cacheEntries = maxEntries;
            return this;
        }

        /** The clock for the cache and the recheck (default the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness of the dummy hashes that unknown users are checked against. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Reads the file and builds the directory.
         *
         * @throws IllegalArgumentException for a bad setting, or a file that cannot be read or is bad (naming the line)
         */
        public PasswdFileUserDirectory build() {
            if (recheck.isNegative()) {
                throw new IllegalArgumentException("recheckInterval must not be negative, was " + recheck);
            }
            if (cacheEntries < 0 || cacheEntries > 1_000_000) {
                throw new IllegalArgumentException("verificationCache maxEntries must be 0..1000000, was "
                        + cacheEntries);
            }
            if (cacheEntries > 0 && (cacheTtl.isNegative() || cacheTtl.isZero() || cacheTtl.toHours() >= 24)) {
                throw new IllegalArgumentException("verificationCache ttl must be above zero and under a day, was "
                        + cacheTtl);
            }
            return new PasswdFileUserDirectory(this);
        }
    }
}
