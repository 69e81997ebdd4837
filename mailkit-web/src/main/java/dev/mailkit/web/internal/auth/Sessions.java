package dev.mailkit.web.internal.auth;

import dev.mailkit.core.auth.MailUser;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The inbox's login sessions: a random 256-bit token in an {@code HttpOnly}, {@code SameSite=Strict} cookie
 * ({@code Secure} over TLS) names a server-side session that holds the user and the session's CSRF token. Sessions
 * end after {@code idle} without use and after {@code absolute} in any case; at most {@code max} live at once (the
 * oldest go first). Tokens are compared in constant time. Thread-safe.
 */
public final class Sessions {
    /** The cookie's name. */
    public static final String COOKIE = "mailkit_session";

    /** One login. */
    public static final class Session {
        private final String token;
        private final MailUser user;
        private final String csrf;
        private final long created;
        private volatile long lastUsed;

        Session(String token, MailUser user, String csrf, long now) {
            this.token = token;
            this.user = user;
            this.csrf = csrf;
            this.created = now;
            this.lastUsed = now;
        }

        /** The user. */
        public MailUser user() {
            return user;
        }

        /** The token the client must send in {@code X-CSRF-Token} with every request that changes something. */
        public String csrf() {
            return csrf;
        }

        String token() {
            return token;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;
    private final int max;

    public Sessions(SecureRandom random, Clock clock, Duration idle, Duration absolute, int max) {
        this.random = random;
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
        this.max = max;
    }

    /** A new random token (43 URL-safe characters). */
    public String newToken() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Starts a session for a user who just logged in. */
    public Session create(MailUser user) {
        long now = clock.millis();
        if (sessions.size() >= max) {
            purge(now, true);
        }
        Session s = new Session(newToken(), user, newToken(), now);
        sessions.put(s.token, s);
        return s;
    }

    /** The live session of a cookie value, or null. */
    public Session get(String token) {
        if (token == null || token.length() != 43) {
            return null;
        }
        Session s = sessions.get(token);
        if (s == null) {
            return null;
        }
        long now = clock.millis();
        if (now - s.lastUsed > idle.toMillis() || now - s.created > absolute.toMillis()) {
            sessions.remove(token);
            return null;
        }
        s.lastUsed = now;
        return s;
    }

    /** Ends a session. */
    public void end(Session s) {
        sessions.remove(s.token);
    }

    /** The {@code Set-Cookie} value that carries a session. */
    public String cookie(Session s, boolean secure) {
        return COOKIE + "=" + s.token + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that removes the cookie. */
    public static String expiredCookie(boolean secure) {
        return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    private void purge(long now, boolean full) {
        Session oldest = null;
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (now - s.lastUsed > idle.toMillis() || now - s.created > absolute.toMillis()) {
                it.remove();
            } else if (oldest == null || s.lastUsed < oldest.lastUsed) {
                oldest = s;
            }
        }
        if (full && sessions.size() >= max && oldest != null) {
            sessions.remove(oldest.token);
        }
    }

    /** Constant-time comparison of two tokens (false if either is null). */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The number of live sessions (for tests). */
    public int size() {
        return sessions.size();
    }
}
