package dev.mailkit.core.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful password verifications remembered for a short time, as Dovecot's auth cache: a client that logs in
 * every minute pays the slow key derivation once per time to live, not on every connection. User directories
 * ({@link InMemoryUserDirectory}, and the passwd-file and PostgreSQL directories) consult it before they derive.
 *
 * <p>What is kept per success is an HMAC-SHA256 of the login name and the password under a random key that exists
 * only in this cache's memory (never the password, never a fast hash an attacker could test guesses against off
 * line), with the stored hash that matched. A password change replaces the stored hash, so the old password misses
 * at once. Failures are never remembered: a wrong password always costs the full derivation and the server's failure
 * penalty, so the cache weakens neither.
 *
 * <p>Defaults ({@link #defaults()}): {@value #DEFAULT_TTL_SECONDS} s time to live, {@value #DEFAULT_MAX_ENTRIES}
 * entries, least recently used dropped first. {@link #disabled()} remembers nothing. Thread-safe.
 */
public final class VerificationCache {
    /** The default time a success is remembered, in seconds. */
    public static final int DEFAULT_TTL_SECONDS = 300;
    /** The default number of successes remembered. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final SecretKeySpec key;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Hit> hits;

    private static final class Hit {
        final String stored;
        final Instant expires;

        Hit(String stored, Instant expires) {
            this.stored = stored;
            this.expires = expires;
        }
    }

    private VerificationCache(Duration ttl, int maxEntries, Clock clock, SecureRandom random) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.clock = Objects.requireNonNull(clock, "clock");
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.hits = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Hit> eldest) {
                return size() > VerificationCache.this.maxEntries;
            }
        };
    }

    /** A cache with the defaults: 5 minutes, 10 000 entries. */
    public static VerificationCache defaults() {
        return of(Duration.ofSeconds(DEFAULT_TTL_SECONDS), DEFAULT_MAX_ENTRIES);
    }

    /** A cache that remembers nothing: every login pays the derivation. */
    public static VerificationCache disabled() {
        return of(Duration.ZERO, 0);
    }

    /** A cache of at most {@code maxEntries} successes, each kept for {@code ttl} (zero for either: disabled). */
    public static VerificationCache of(Duration ttl, int maxEntries) {
        return of(ttl, maxEntries, Clock.systemUTC());
    }

    /** As {@link #of(Duration, int)}, with the clock that decides expiry (tests). */
    public static VerificationCache of(Duration ttl, int maxEntries, Clock clock) {
        return new VerificationCache(ttl, maxEntries, clock, new SecureRandom());
    }

    /** Whether this cache remembers anything at all. */
    public boolean enabled() {
        return maxEntries > 0 && !ttl.isZero();
    }

    /**
     * Whether this user logged in with this password against this stored hash within the time to live.
     *
     * @param stored the stored hash (its encoded form) the password was checked against
     */
    public boolean verified(String username, char[] password, String stored) {
        if (!enabled()) {
            return false;
        }
        String k = key(username, password);
        lock.lock();
        try {
            Hit h = hits.get(k);
            if (h == null) {
                return false;
            }
            if (!MessageDigest.isEqual(h.stored.getBytes(StandardCharsets.UTF_8), stored.getBytes(StandardCharsets.UTF_8))
                    || !clock.instant().isBefore(h.expires)) {
                hits.remove(k);
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records a successful verification of this password against this stored hash. */
    public void remember(String username, char[] password, String stored) {
        if (!enabled()) {
            return;
        }
        String k = key(username, password);
        lock.lock();
        try {
            hits.put(k, new Hit(stored, clock.instant().plus(ttl)));
        } finally {
            lock.unlock();
        }
    }

    /** Forgets everything (after a reload of the users, for instance). */
    public void clear() {
        lock.lock();
        try {
            hits.clear();
        } finally {
            lock.unlock();
        }
    }

    /** How many successes are remembered now. */
    public int size() {
        lock.lock();
        try {
            return hits.size();
        } finally {
            lock.unlock();
        }
    }

    private String key(String username, char[] password) {
        byte[] pw = null;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            pw = new byte[b.remaining()];
            b.get(pw);
            if (b.hasArray()) {
                Arrays.fill(b.array(), (byte) 0);
            }
            mac.update(pw);
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        } finally {
            if (pw != null) {
                Arrays.fill(pw, (byte) 0);
            }
        }
    }

    @Override
    public String toString() {
        return "VerificationCache{ttl=" + ttl + ", maxEntries=" + maxEntries + ", size=" + size() + "}";
    }
}
