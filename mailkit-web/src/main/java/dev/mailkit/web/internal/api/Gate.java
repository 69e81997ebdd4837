package dev.mailkit.web.internal.api;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.web.internal.auth.Logins;
import dev.mailkit.web.internal.auth.Sessions;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;

import java.util.Locale;
import java.util.Optional;

/**
 * What every request passes before it reaches a handler:
 * <ol>
 *   <li>the {@code Host} must be this server's: {@code localhost}, an IP address, or a configured host name (a page
 *       on another site whose DNS name was pointed at 127.0.0.1, "DNS rebinding", gets {@code 421});</li>
 *   <li>requests that change something must not come from another site ({@code Origin} other than this server's, or
 *       {@code Sec-Fetch-Site} cross-site or same-site: {@code 403}), must carry the session's CSRF token when
 *       authenticated by the session cookie ({@code 403}), and send JSON when they send a body ({@code 415}, so
 *       that a browser needs a CORS preflight, which this server never grants);</li>
 *   <li>authentication: none on an open server, else the session cookie or HTTP Basic with a mailbox user's
 *       address and password (failures delayed per client address).</li>
 * </ol>
 * Thread-safe.
 */
final class Gate {
    private final WebSettings settings;
    private final Sessions sessions;
    private final Logins logins;

    Gate(WebSettings settings, Sessions sessions, Logins logins) {
        this.settings = settings;
        this.sessions = sessions;
        this.logins = logins;
    }

    /** Checks the Host header. */
    void checkHost(HttpRequest r) {
        String host = r.header("host");
        if (host == null) {
            throw new HttpException(400, "a Host header is required");
        }
        String h = hostPart(host).toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.endsWith(".localhost") || isIpLiteral(h) || settings.hostNames.contains(h)) {
            return;
        }
        throw new HttpException(421, "this server does not answer for that host name (set hostNames(...) to add it)");
    }

    static String hostPart(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean isIpLiteral(String h) {
        if (h.startsWith("[") && h.endsWith("]")) {
            String inner = h.substring(1, h.length() - 1);
            return !inner.isEmpty() && inner.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Refuses a state-changing request from another site (before authentication, so nothing is tried). */
    void checkSameOrigin(HttpRequest r) {
        if (!r.isUnsafe()) {
            return;
        }
        String origin = r.header("origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(r))) {
            throw new HttpException(403, "cross-origin request refused");
        }
        String site = r.header("sec-fetch-site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            throw new HttpException(403, "cross-site request refused");
        }
    }

    /** Refuses a body that is not JSON (form posts from other sites need no preflight; JSON does). */
    static void requireJsonBody(HttpRequest r) {
        if (r.body().length == 0) {
            return;
        }
        String ct = r.header("content-type");
        if (ct == null || !ct.toLowerCase(Locale.ROOT).trim().startsWith("application/json")) {
            throw new HttpException(415, "send the body as application/json");
        }
    }

    private String ownOrigin(HttpRequest r) {
        return (r.isTls() ? "https://" : "http://") + r.header("host");
    }

    /**
     * Authenticates, or returns null when the request carries no credentials at all (the caller answers 401 or
     * redirects to the login page). Wrong credentials are a 401 after the failure delay.
     */
    Principal authenticate(HttpRequest r) {
        if (settings.open()) {
            return Principal.open(settings.openAccounts);
        }
        String token = cookie(r, Sessions.COOKIE);
        if (token != null) {
            Sessions.Session s = sessions.get(token);
            if (s != null) {
                if (r.isUnsafe() && !Sessions.same(r.header("x-csrf-token"), s.csrf())) {
                    throw new HttpException(403, "missing or wrong CSRF token (X-CSRF-Token)");
                }
                return Principal.user(s.user(), s);
            }
        }
        String auth = r.header("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            Optional<MailUser> u = logins.basic(auth, r.remote().getAddress());
            if (u.isEmpty()) {
                throw new HttpException(401, "wrong user name or password");
            }
            return Principal.user(u.get(), null);
        }
        return null;
    }

    /** A cookie's value, or null. */
    static String cookie(HttpRequest r, String name) {
        String header = r.header("cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }
}
