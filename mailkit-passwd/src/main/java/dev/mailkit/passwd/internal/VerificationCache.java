package dev.mailkit.passwd.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Successful password verifications remembered for a short time, as Dovecot's auth cache: a client that logs in
 * every minute pays the key derivation once per {@code ttl}. What is kept is an HMAC-SHA256 of the login name and
 * password under a random key of this cache (never the password, never a hash an attacker could test guesses against
 * off line), with the stored hash that matched: a password change replaces the stored hash and so misses. Failures are
 * never remembered, so a wrong password always costs the full derivation and the server's failure penalty. Bounded
 * (least recently used go first); thread-safe.
 */
public final class VerificationCache {
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final byte[] key = new byte[32];
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

    /** A cache of at most {@code maxEntries} successes, each kept for {@code ttl}. */
    public VerificationCache(Duration ttl, int maxEntries, Clock clock, SecureRandom random) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
        random.nextBytes(key);
        this.hits = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Hit> eldest) {
                return size() > VerificationCache.this.maxEntries;
            }
        };
    }

    /** Whether this user logged in with this password, against this stored hash, within the time to live. */
    public boolean verified(String username, char[] password, String stored) {
        String k = key(username, password);
        lock.lock();
        try {
            Hit h = hits.get(k);
            if (h == null) {
                return false;
            }
            if (!h.stored.equals(stored) || !clock.instant().isBefore(h.expires)) {
                hits.remove(k);
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records a successful verification. */
    public void remember(String username, char[] password, String stored) {
        String k = key(username, password);
        lock.lock();
        try {
            hits.put(k, new Hit(stored, clock.instant().plus(ttl)));
        } finally {
            lock.unlock();
        }
    }

    /** Forgets everything (after a reload). */
    public void clear() {
        lock.lock();
        try {
            hits.clear();
        } finally {
            lock.unlock();
        }
    }

    /** How many successes are remembered. */
    public int size() {
        lock.lock();
        try {
            return hits.size();
        } finally {
            lock.unlock();
        }
    }

    private String key(String username, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(username.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] pw = new byte[b.remaining()];
            b.get(pw);
            mac.update(pw);
            Arrays.fill(pw, (byte) 0);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
