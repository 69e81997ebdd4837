package dev.mailkit.web;

import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what: logins (HTTP Basic, the form and its session), the growing delay after failures, CSRF and
 * cross-site refusals, users confined to their own mailboxes, the Host check, and hostile attachment names and
 * types that must not reach a response header.
 */
class SecurityTest {
    private static final String ANN = "ann@example.test";
    private static final String BOB = "bob@example.test";

    @Test
    void withoutCredentialsNothingIsShown() {
        try (WebFixture f = WebFixture.withLogins()) {
            Http.Response r = f.http.get("/api/v1/messages");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Basic realm=");
            assertThat(f.http.with("X-Requested-With", "mailkit-inbox").get("/api/v1/messages").header(
                    "WWW-Authenticate")).isNull();
            Http.Response page = f.http.get("/");
            assertThat(page.status()).isEqualTo(303);
            assertThat(page.header("Location")).isEqualTo("/login");
            assertThat(f.http.get("/view/x.html").status()).isEqualTo(401);
            assertThat(f.http.get("/api/events").status()).isEqualTo(401);
            assertThat(f.http.basic(ANN, "wrong").get("/api/v1/messages").status()).isEqualTo(401);
            assertThat(f.http.basic("nobody@example.test", "x").get("/api/v1/messages").status()).isEqualTo(401);
        }
    }

    @Test
    void failedLoginsWaitLongerEachTime() {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(Duration.ofMillis(200))
                .maxDelay(Duration.ofMillis(800)).build();
        try (WebFixture f = WebFixture.withLogins(b -> b.authFailurePenalty(penalty))) {
            long first = timed(() -> f.http.basic(ANN, "wrong").get("/api/v1/messages"));
            long second = timed(() -> f.http.basic(ANN, "wrong").get("/api/v1/messages"));
            long third = timed(() -> f.http.send("POST", "/login", "username=" + ANN + "&password=nope",
                    "application/x-www-form-urlencoded"));
            assertThat(first).isGreaterThanOrEqualTo(200);
            assertThat(second).isGreaterThanOrEqualTo(400);
            assertThat(third).isGreaterThanOrEqualTo(800);
            f.http.basic(ANN, "ann-secret").get("/api/v1/messages").ok();
            assertThat(penalty.failures(java.net.InetAddress.getLoopbackAddress())).isZero();
        }
    }

    private static long timed(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void usersSeeOnlyTheirOwnMailboxes() {
        try (WebFixture f = WebFixture.withLogins()) {
            f.send("x@example.org", List.of(ANN), WebFixture.message("x@example.org", ANN, "for ann", "secret"));
            Http ann = f.http.basic(ANN, "ann-secret");
            Http bob = f.http.basic(BOB, "bob-secret");
            String id = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(ann.get("/api/v1/messages").ok()
                    .body())).get("messages")).get(0)).get("ID");
            assertThat(((Map<?, ?>) Json.parse(bob.get("/api/v1/messages").ok().body())).get("total")).isEqualTo(0L);
            for (String path : List.of("/api/v1/message/" + id, "/api/v1/message/" + id + "/raw",
                    "/api/v1/message/" + id + "/headers", "/api/v1/message/" + id + "/part/1", "/view/" + id + ".html",
                    "/view/" + id + ".txt", "/api/mailkit/v1/message/" + id + "/trace")) {
                assertThat(bob.get(path).status()).as(path).isEqualTo(404);
            }
            assertThat(bob.delete("/api/v1/messages", "{\"IDs\":[\"" + id + "\"]}").status()).isEqualTo(404);
            assertThat(bob.get("/api/v1/messages?account=" + ANN).status()).isEqualTo(404);
            assertThat(bob.get("/api/mailkit/v1/mailboxes").ok().body()).doesNotContain(ANN);
            // and a user sends only as themselves
            assertThat(bob.post("/api/v1/send", "{\"From\":{\"Email\":\"" + ANN + "\"},\"To\":[{\"Email\":\"" + BOB
                    + "\"}],\"Subject\":\"forged\"}").status()).isEqualTo(400);
            ann.get("/api/v1/message/" + id).ok();
        }
    }

    @Test
    void theLoginFormStartsASessionThatNeedsTheCsrfToken() {
        try (WebFixture f = WebFixture.withLogins()) {
            f.send("x@example.org", List.of(ANN), WebFixture.message("x@example.org", ANN, "one", "1"));
            Http.Response bad = f.http.send("POST", "/login", "username=" + ANN + "&password=nope",
                    "application/x-www-form-urlencoded");
            assertThat(bad.status()).isEqualTo(303);
            assertThat(bad.header("Location")).isEqualTo("/login?error=1");
            assertThat(bad.header("Set-Cookie")).isNull();
            Http.Response login = f.http.send("POST", "/login", "username=" + ANN + "&password=ann-secret",
                    "application/x-www-form-urlencoded");
            assertThat(login.status()).isEqualTo(303);
            String cookie = login.header("Set-Cookie");
            assertThat(cookie).startsWith("mailkit_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                    .contains("; Path=/").doesNotContain("Secure");
            Http session = f.http.with("Cookie", cookie.substring(0, cookie.indexOf(';')));
            Map<?, ?> ui = (Map<?, ?>) Json.parse(session.get("/api/v1/webui").ok().body());
            String csrf = (String) ui.get("CSRF");
            assertThat(csrf).hasSize(43);
            assertThat(session.put("/api/v1/messages", "{\"Read\":true}").status()).isEqualTo(403);
            assertThat(session.with("X-CSRF-Token", "x".repeat(43)).put("/api/v1/messages", "{\"Read\":true}")
                    .status()).isEqualTo(403);
            session.with("X-CSRF-Token", csrf).put("/api/v1/messages", "{\"Read\":true}").ok();
            // a state-changing request from another site is refused before anything else
            Http withToken = session.with("X-CSRF-Token", csrf);
            assertThat(withToken.with("Origin", "http://evil.example").put("/api/v1/messages", "{\"Read\":false}")
                    .status()).isEqualTo(403);
            assertThat(withToken.with("Origin", "null").put("/api/v1/messages", "{\"Read\":false}").status())
                    .isEqualTo(403);
            assertThat(withToken.with("Sec-Fetch-Site", "cross-site").put("/api/v1/messages", "{\"Read\":false}")
                    .status()).isEqualTo(403);
            assertThat(withToken.send("PUT", "/api/v1/messages", "{\"Read\":false}", "text/plain").status())
                    .isEqualTo(415);
            assertThat(((Map<?, ?>) Json.parse(session.get("/api/v1/messages").ok().body())).get("unread"))
                    .isEqualTo(0L);
            // logging out ends the session
            withToken.post("/logout", null).ok();
            assertThat(session.get("/api/v1/messages").status()).isEqualTo(401);
        }
    }

    @Test
    void overHttpsTheSessionCookieIsSecure() throws Exception {
        dev.mailkit.core.tls.TlsConfig tls = dev.mailkit.core.tls.TlsConfig.selfSigned();
        try (WebFixture f = WebFixture.withLogins(b -> b.tls(tls))) {
            assertThat(f.web.url()).startsWith("https://127.0.0.1:");
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(tls.clientSslContext())
                    .build();
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("https://localhost:" + f.web.port() + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=" + ANN + "&password=ann-secret"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
            assertThat(raw(f, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).doesNotContain("HTTP/1.1"); // TLS only
        }
    }

    @Test
    void basicAuthenticatedScriptsMustNotComeFromAnotherSiteEither() {
        try (WebFixture f = WebFixture.withLogins()) {
            Http ann = f.http.basic(ANN, "ann-secret");
            String send = "{\"From\":{\"Email\":\"" + ANN + "\"},\"To\":[{\"Email\":\"" + BOB + "\"}],\"Subject\":\"s\"}";
            assertThat(ann.with("Origin", "http://evil.example").post("/api/v1/send", send).status()).isEqualTo(403);
            assertThat(ann.send("POST", "/api/v1/send", send, "text/plain").status()).isEqualTo(415);
            assertThat(ann.send("POST", "/api/v1/send", send, "application/x-www-form-urlencoded").status())
                    .isEqualTo(415);
            ann.post("/api/v1/send", send).ok();
        }
    }

    @Test
    void onlyThisServersHostNamesAreAnswered() throws IOException {
        try (WebFixture f = WebFixture.open(b -> b.hostNames("mail.example.test"))) {
            assertThat(raw(f, "GET /api/v1/messages HTTP/1.1\r\nHost: attacker.example:8025\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 421 ");
            assertThat(raw(f, "GET /api/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ");
            assertThat(raw(f, "GET /api/v1/messages HTTP/1.1\r\nHost: [::1]:1\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ");
            assertThat(raw(f, "GET /api/v1/messages HTTP/1.1\r\nHost: MAIL.example.test\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200 ");
            assertThat(raw(f, "GET /api/v1/messages HTTP/1.1\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void attachmentNamesAndTypesCannotChooseAPathOrAHeader() throws IOException {
        try (WebFixture f = WebFixture.open()) {
            String raw = "From: a@example.org\r\nTo: b@example.test\r\nSubject: names\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                    + part("application/pdf", "attachment; filename=\"../../etc/passwd\"")
                    + part("text/plain", "attachment; filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3D1%22.txt")
                    + part("text/html; charset=\"utf-8\r\n\tX-Injected: 1\"", "attachment; filename=\"..\\\\..\\\\win.ini\"")
                    + part("image/svg+xml", "inline; filename=\"pic.svg\"")
                    + part("x/\u00fc; q=\"", "attachment; filename=\"\u202etxt.exe\"") + "--B--\r\n";
            f.send("a@example.org", List.of("b@example.test"), raw);
            String id = (String) ((Map<?, ?>) Json.parse(f.http.get("/api/v1/message/latest").ok().body())).get("ID");
            for (int part = 2; part <= 6; part++) {
                String resp = raw(f, "GET /api/v1/message/" + id + "/part/" + part + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n");
                String head = resp.substring(0, resp.indexOf("\r\n\r\n"));
                assertThat(head.lines().skip(1)).as("part " + part + ": header lines")
                        .allMatch(l -> l.matches("[A-Za-z-]+: [\\x20-\\x7e]*"))
                        .noneMatch(l -> l.startsWith("Set-Cookie") || l.startsWith("X-Injected"));
                assertThat(head).as("part " + part).startsWith("HTTP/1.1 200 ")
                        .contains("\r\nX-Content-Type-Options: nosniff")
                        .contains("\r\nContent-Security-Policy: sandbox; default-src 'none'");
                String disposition = head.lines().filter(l -> l.startsWith("Content-Disposition: ")).findFirst()
                        .orElseThrow();
                assertThat(disposition).startsWith("Content-Disposition: attachment; filename=\"")
                        .doesNotContain("/").doesNotContain("\\\\").doesNotContain("..").doesNotContain("\u202e");
                String type = head.lines().filter(l -> l.startsWith("Content-Type: ")).findFirst().orElseThrow();
                assertThat(type).matches("Content-Type: [a-z0-9.+-]+/[a-z0-9.+-]+(; charset=[A-Za-z0-9_.:-]+)?");
            }
            assertThat(raw(f, "GET /api/v1/message/" + id + "/part/2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .contains("Content-Disposition: attachment; filename=\"passwd\"");
            assertThat(raw(f, "GET /api/v1/message/" + id + "/part/5 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .contains("Content-Type: image/svg+xml");
            assertThat(raw(f, "GET /api/v1/message/" + id + "/part/6 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
                    .contains("Content-Type: application/octet-stream");
        }
    }

    private static String part(String type, String disposition) {
        return "--B\r\nContent-Type: " + type + "\r\nContent-Disposition: " + disposition + "\r\n\r\ncontent\r\n";
    }

    @Test
    void theMessageViewIsSandboxedWhoeverOpensIt() {
        try (WebFixture f = WebFixture.open()) {
            f.send("a@example.org", List.of("b@example.test"), "From: a@example.org\r\nTo: b@example.test\r\n"
                    + "Subject: h\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n");
            String id = (String) ((Map<?, ?>) Json.parse(f.http.get("/api/v1/message/latest").ok().body())).get("ID");
            Http.Response html = f.http.get("/view/" + id + ".html?embed=1").ok();
            assertThat(html.header("Content-Security-Policy")).startsWith("sandbox allow-popups "
                    + "allow-popups-to-escape-sandbox; default-src 'none';").doesNotContain("allow-scripts")
                    .doesNotContain("allow-same-origin").doesNotContain("allow-forms").contains("form-action 'none'")
                    .contains("img-src data:;");
            assertThat(f.http.get("/view/" + id + ".html?embed=1&remote=1").header("Content-Security-Policy"))
                    .contains("img-src data: http: https:").doesNotContain("script");
            assertThat(html.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(html.body()).startsWith("<meta charset=\"utf-8\"><base target=\"_blank\">");
            assertThat(f.http.get("/view/" + id + ".txt").header("Content-Security-Policy"))
                    .isEqualTo("sandbox; default-src 'none'");
            assertThat(f.http.get("/api/v1/message/" + id + "/raw").header("Content-Security-Policy"))
                    .isEqualTo("sandbox; default-src 'none'");
            Http.Response app = f.http.get("/").ok();
            assertThat(app.header("Content-Security-Policy")).contains("script-src 'self'")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe");
            assertThat(app.header("X-Frame-Options")).isEqualTo("DENY");
        }
    }

    private static String raw(WebFixture f, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", f.web.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
