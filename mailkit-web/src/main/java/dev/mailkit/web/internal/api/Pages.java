package dev.mailkit.web.internal.api;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.web.internal.auth.Logins;
import dev.mailkit.web.internal.auth.Sessions;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The inbox's own files (HTML, CSS, JavaScript and an icon, read from the jar once: no CDN, works offline), the
 * login form and logout. Every page is served with a Content-Security-Policy that allows only this server's own
 * scripts and styles, no inline script, frames only from this server, and no framing of the page itself.
 */
final class Pages {
    static final String APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> files;
    private final String loginPage;
    private final Sessions sessions;
    private final Logins logins;
    private final WebSettings settings;

    Pages(Sessions sessions, Logins logins, WebSettings settings) {
        this.sessions = sessions;
        this.logins = logins;
        this.settings = settings;
        this.files = Map.of("index.html", read("index.html"), "app.js", read("app.js"), "app.css", read("app.css"),
                "favicon.svg", read("favicon.svg"));
        this.loginPage = new String(read("login.html"), StandardCharsets.UTF_8);
    }

    private static byte[] read(String name) {
        try (InputStream in = Pages.class.getResourceAsStream("/dev/mailkit/web/ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the web inbox's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HttpResponse index() {
        return page(HttpResponse.bytes(200, "text/html; charset=utf-8", files.get("index.html")));
    }

    /**
     * The inbox's own pages send the referrer to this server only: with {@code no-referrer} a browser would send
     * {@code Origin: null} with their own form posts, which the {@link Gate} refuses (a sandboxed frame sends that).
     */
    private static HttpResponse page(HttpResponse r) {
        return r.header("Content-Security-Policy", APP_CSP).header("Referrer-Policy", "same-origin");
    }

    HttpResponse file(HttpRequest r) {
        String name = r.param("file");
        byte[] b = name == null ? null : files.get(name);
        if (b == null || name.equals("index.html")) {
            throw new HttpException(404, "not found");
        }
        String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
        return HttpResponse.bytes(200, type, b).header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", APP_CSP);
    }

    HttpResponse loginForm(HttpRequest r) {
        if (settings.open()) {
            return HttpResponse.redirect("/");
        }
        String error = r.query("error") != null
                ? "<p class=\"error\" role=\"alert\">Wrong address or password.</p>" : "";
        return page(HttpResponse.bytes(200, "text/html; charset=utf-8",
                loginPage.replace("<!--ERROR-->", error).getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse login(HttpRequest r) {
        if (settings.open()) {
            return HttpResponse.redirect("/");
        }
        String ct = r.header("content-type");
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new HttpException(415, "post the login form");
        }
        Map<String, String> form = Forms.parse(r.bodyText());
        Optional<MailUser> user = logins.check(form.get("username"), form.get("password"), r.remote().getAddress(),
                false);
        if (user.isEmpty()) {
            return HttpResponse.redirect("/login?error=1");
        }
        Sessions.Session s = sessions.create(user.get());
        return HttpResponse.redirect("/").header("Set-Cookie", sessions.cookie(s, r.isTls()));
    }

    HttpResponse logout(HttpRequest r, Principal p) {
        if (p.session != null) {
            sessions.end(p.session);
        }
        return HttpResponse.ok().header("Set-Cookie", Sessions.expiredCookie(r.isTls()));
    }

    /** Parses {@code application/x-www-form-urlencoded}. */
    static final class Forms {
        private Forms() {
        }

        static Map<String, String> parse(String body) {
            java.util.Map<String, String> out = new java.util.HashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                try {
                    out.putIfAbsent(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new HttpException(400, "malformed form");
                }
            }
            return out;
        }
    }
}
