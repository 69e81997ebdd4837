package dev.mailkit.web.internal.auth;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a user's address and password for the login form and for HTTP Basic, with the mail protocols' growing
 * delay after failures (core's {@link AuthFailurePenalty}, per client address: the reply to a failure waits, so
 * guessing gets slower and slower, and unknown users cost the same as wrong passwords). Basic authentication comes
 * with every API request, so a successful check is remembered for a minute under an HMAC of the name and password
 * with a key of this server's (never the password itself): scripts that poll do not pay a password hash per
 * request. Thread-safe.
 */
public final class Logins {
    private static final long REMEMBER_MILLIS = 60_000;
    private static final int MAX_REMEMBERED = 1000;

    private final UserDirectory users;
    private final AuthFailurePenalty penalty;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private static final class Remembered {
        final MailUser user;
        final long until;

        Remembered(MailUser user, long until) {
            this.user = user;
            this.until = until;
        }
    }

    public Logins(UserDirectory users, AuthFailurePenalty penalty, Clock clock, SecureRandom random) {
        this.users = users;
        this.penalty = penalty;
        this.clock = clock;
        byte[] k = new byte[32];
        random.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /**
     * Checks a login. A failure waits the penalty's delay for the client's address before returning empty.
     */
    public Optional<MailUser> check(String username, String password, InetAddress client, boolean remember) {
        if (username == null || password == null || username.isEmpty() || username.length() > 320
                || password.length() > 1024) {
            fail(client);
            return Optional.empty();
        }
        String mac = remember ? mac(username, password) : null;
        long now = clock.millis();
        if (mac != null) {
            Remembered r = remembered.get(mac);
            if (r != null && r.until > now) {
                return Optional.of(r.user);
            }
        }
        char[] pw = password.toCharArray();
        Optional<MailUser> user;
        try {
            user = users.authenticate(username, pw);
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
        if (user.isEmpty()) {
            fail(client);
            return user;
        }
        penalty.recordSuccess(client);
        if (mac != null) {
            if (remembered.size() >= MAX_REMEMBERED) {
                for (Iterator<Remembered> it = remembered.values().iterator(); it.hasNext(); ) {
                    if (it.next().until <= now) {
                        it.remove();
                    }
                }
                if (remembered.size() >= MAX_REMEMBERED) {
                    remembered.clear();
                }
            }
            remembered.put(mac, new Remembered(user.get(), now + REMEMBER_MILLIS));
        }
        return user;
    }

    /** Checks an {@code Authorization: Basic ...} header value. */
    public Optional<MailUser> basic(String header, InetAddress client) {
        String b64 = header.substring(6).trim();
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            fail(client);
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            fail(client);
            return Optional.empty();
        }
        return check(decoded.substring(0, colon), decoded.substring(colon + 1), client, true);
    }

    private void fail(InetAddress client) {
        Duration d = penalty.recordFailure(client);
        if (!d.isZero()) {
            try {
                Thread.sleep(d.toMillis()); // the delay before the reply is the point: it slows down guessing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String mac(String username, String password) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(username.getBytes(StandardCharsets.UTF_8));
            m.update((byte) 0);
            return Base64.getEncoder().encodeToString(m.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** The failures counted for an address now (for tests). */
    public int failures(InetAddress client) {
        return penalty.failures(client);
    }
}
