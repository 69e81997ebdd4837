package dev.mailkit.web;

import com.sun.net.httpserver.HttpServer;
import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HTML, sent over SMTP and opened in the inbox in real headless Chromium: script tags, event handlers,
 * {@code javascript:} URLs, SVG with script, CSS that fetches, a meta refresh, forms posting to the API and to
 * another site, frames, objects. Nothing may run, nothing may reach the network (a canary server on loopback stands
 * for the attacker's host and records every request), and the inbox's API must see no change. Then the user allows
 * remote content and the canary does get the image: the blocking was real, not an accident of the set-up.
 */
class HostileHtmlBrowserTest {
    private static Browser browser;
    private static HttpServer canary;
    private static final List<String> hits = new CopyOnWriteArrayList<>();
    private static final LinkedBlockingQueue<String> hitQueue = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws IOException {
        browser = new Browser();
        canary = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        canary.createContext("/", ex -> {
            hits.add(ex.getRequestMethod() + " " + ex.getRequestURI());
            hitQueue.add(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        canary.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (canary != null) {
            canary.stop(0);
        }
    }

    private static String hostileHtml(String evil, String api) {
        return "<html><head><meta http-equiv=\"refresh\" content=\"0;url=" + evil + "/refresh\">"
                + "<base href=\"" + evil + "/base/\">"
                + "<link rel=\"stylesheet\" href=\"" + evil + "/link.css\">"
                + "<style>@import url(\"" + evil + "/import.css\"); body { background: url(\"" + evil
                + "/background.png\"); } @font-face { font-family: x; src: url(\"" + evil + "/font.woff\"); }"
                + " h1 { font-family: x; }</style>"
                + "<script>document.documentElement.setAttribute('data-ran', 'script');"
                + "try { parent.document.body.setAttribute('data-pwned', 'script'); } catch (e) {}"
                + "fetch('" + api + "/api/v1/messages', {method: 'DELETE', credentials: 'include'});"
                + "new Image().src = '" + evil + "/script-beacon';</script></head>"
                + "<body onload=\"document.documentElement.setAttribute('data-ran', 'onload')\">"
                + "<h1 id=\"title\">Hostile</h1>"
                + "<img id=\"remote-img\" src=\"" + evil + "/pixel.png\">"
                + "<img src=\"relative.png\">"
                + "<img src=\"x\" onerror=\"document.documentElement.setAttribute('data-ran', 'onerror')\">"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"document.documentElement.setAttribute("
                + "'data-ran', 'svg-onload')\"><script>document.documentElement.setAttribute('data-ran', "
                + "'svg-script')</script><image href=\"" + evil + "/svg-image.png\"/></svg>"
                + "<a id=\"js-link\" href=\"javascript:document.documentElement.setAttribute('data-ran','link');"
                + "parent.document.body.setAttribute('data-pwned','link')\">click me</a>"
                + "<form id=\"api-form\" method=\"post\" action=\"" + api + "/api/v1/send\" enctype=\"text/plain\">"
                + "<input name='{\"From\":{\"Email\":\"evil@example.org\"},\"To\":[{\"Email\":\"victim@example.test\"}],"
                + "\"x\":\"' value='\"}'><button id=\"api-submit\">send</button></form>"
                + "<form id=\"evil-form\" method=\"post\" action=\"" + evil + "/form\"><input name=\"q\" value=\"1\">"
                + "<button id=\"evil-submit\">go</button></form>"
                + "<iframe src=\"" + evil + "/frame\"></iframe><object data=\"" + evil + "/object\"></object>"
                + "<embed src=\"" + evil + "/embed\"><video poster=\"" + evil + "/poster.png\"></video>"
                + "<div style=\"background-image:url('" + evil + "/inline-style.png')\">styled</div>"
                + "</body></html>";
    }

    @Test
    void nothingRunsNothingIsFetchedNothingIsSent() throws Exception {
        try (WebFixture f = WebFixture.open()) {
            String evil = "http://127.0.0.1:" + canary.getAddress().getPort();
            String api = f.web.url().substring(0, f.web.url().length() - 1);
            String raw = "From: attacker@example.org\r\nTo: victim@example.test\r\nSubject: Hostile\r\nMIME-Version: 1.0"
                    + "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + hostileHtml(evil, api).replace("><", ">\r\n<")
                    + "\r\n";
            f.send("attacker@example.org", List.of("victim@example.test"), raw);

            browser.go(f.web.url());
            browser.await("document.querySelectorAll('#messages li').length === 1");
            String title = browser.driver.getTitle();
            browser.armFrameLoad("html-frame");
            browser.find("#messages li").click();
            browser.awaitFrameLoad();
            browser.driver.switchTo().frame(browser.find("#html-frame"));
            assertThat(browser.driver.findElement(By.id("title")).getText()).isEqualTo("Hostile");
            // what the hostile page may try by a click: submit forms and follow a javascript: link
            browser.driver.findElement(By.id("js-link")).click();
            browser.driver.findElement(By.id("api-submit")).click();
            browser.driver.findElement(By.id("evil-submit")).click();
            browser.driver.switchTo().defaultContent();
            assertNoAlert();

            // the inbox cannot even read the frame's location: the message lives in an opaque origin
            assertThat(browser.js("try { return document.getElementById('html-frame').contentWindow.location.href; }"
                    + " catch (e) { return 'blocked: ' + e.name; }")).isEqualTo("blocked: SecurityError");
            // the frame is still the message (no refresh, no form navigation), and no script marked anything
            browser.driver.switchTo().frame(browser.find("#html-frame"));
            assertThat((String) browser.js("return location.href;")).contains("/view/")
                    .doesNotContain("127.0.0.1:" + canary.getAddress().getPort());
            assertThat(browser.driver.findElement(By.tagName("html")).getAttribute("data-ran")).isNull();
            browser.driver.switchTo().defaultContent();
            assertThat(browser.find("body").getAttribute("data-pwned")).isNull();
            assertThat(browser.driver.getTitle()).isEqualTo(title);
            assertThat(browser.driver.getWindowHandles()).hasSize(1);

            // nothing reached the attacker's host; the API saw no change and nothing was sent
            Map<?, ?> page = (Map<?, ?>) Json.parse(f.http.get("/api/v1/messages").ok().body());
            assertThat(page.get("total")).isEqualTo(1L);
            assertThat(f.trace.recent(10)).hasSize(1);

            // the control: allow remote content, and the canary sees the image: it would have seen the rest
            browser.find("#allow-remote").click();
            String path;
            do {
                path = hitQueue.poll(10, TimeUnit.SECONDS);
                assertThat(path).as("the remote image after 'Show remote content'").isNotNull();
            } while (!path.equals("/pixel.png"));
            assertThat(hits).as("requests that reached the attacker's host before remote content was allowed")
                    .allMatch(h -> h.contains("/pixel.png") || h.contains("/background.png")
                            || h.contains("/inline-style.png") || h.contains("/link.css") || h.contains("/import.css")
                            || h.contains("/font.woff") || h.contains("/svg-image.png") || h.contains("/poster.png")
                            || h.contains("/base/relative.png"));
            assertThat(hits).noneMatch(h -> h.contains("/refresh") || h.contains("/form") || h.contains("/frame")
                    || h.contains("/object") || h.contains("/embed") || h.contains("script-beacon"));
        }
    }

    private static void assertNoAlert() {
        try {
            String text = browser.driver.switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + text);
        } catch (NoAlertPresentException expected) {
            // good
        }
    }
}
