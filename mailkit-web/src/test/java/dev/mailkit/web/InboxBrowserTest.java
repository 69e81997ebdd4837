package dev.mailkit.web;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The web inbox in real headless Chromium: live list, the message's HTML, downloads, delete, log in and reply. */
class InboxBrowserTest {
    private static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void mailAppearsWithoutReloadOpensShowsHtmlDownloadsAndDeletes() throws Exception {
        try (WebFixture f = WebFixture.open()) {
            browser.go(f.web.url());
            browser.await("document.getElementById('live').classList.contains('on')");
            browser.js("window.__sameDocument = 'yes';");
            String pdf = "%PDF-1.4 attachment bytes";
            String raw = "From: Shop <shop@example.org>\r\nTo: me@example.test\r\nSubject: Your order\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
                    + "Content-Type: text/html; charset=utf-8\r\n\r\n<h1 id=\"greeting\">Thank you, Ann!</h1>"
                    + "<p>Order <b>4711</b></p>\r\n--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment;"
                    + " filename=\"invoice.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getEncoder().encodeToString(pdf.getBytes()) + "\r\n--B--\r\n";
            f.send("shop@example.org", List.of("me@example.test"), raw);
            browser.await("[...document.querySelectorAll('#messages li .subject')]"
                    + ".some(e => e.textContent.includes('Your order'))");
            assertThat(browser.js("return window.__sameDocument;")).isEqualTo("yes");

            browser.find("#messages li").click();
            browser.await("document.getElementById('html-frame') !== null");
            assertThat(browser.find("#m-subject").getText()).isEqualTo("Your order");
            browser.driver.switchTo().frame(browser.find("#html-frame"));
            browser.await("document.getElementById('greeting') !== null");
            WebElement h1 = browser.driver.findElement(By.id("greeting"));
            assertThat(h1.getText()).isEqualTo("Thank you, Ann!");
            browser.driver.switchTo().defaultContent();

            browser.find("#tab-attachments").click();
            browser.await("document.querySelector('#attachment-list a') !== null");
            browser.find("#attachment-list a").click();
            assertThat(Files.readString(browser.awaitDownload("invoice.pdf", Duration.ofSeconds(15)))).isEqualTo(pdf);

            browser.find("#delete").click();
            browser.await("document.querySelectorAll('#messages li').length === 0");
            Map<?, ?> page = (Map<?, ?>) Json.parse(f.http.get("/api/v1/messages").ok().body());
            assertThat(page.get("total")).isEqualTo(0L);
        }
    }

    @Test
    void userLogsInAndRepliesAndTheReplyArrives() {
        try (WebFixture f = WebFixture.withLogins()) {
            f.send("bob@example.test", List.of("ann@example.test"), WebFixture.message("Bob <bob@example.test>",
                    "ann@example.test", "Lunch on Friday?", "Shall we?"));
            browser.driver.manage().deleteAllCookies();
            browser.go(f.web.url());
            browser.await("document.getElementById('username') !== null");
            browser.find("#username").sendKeys("ann@example.test");
            browser.find("#password").sendKeys("ann-secret");
            browser.find("#login").click();
            browser.await("[...document.querySelectorAll('#messages li .subject')]"
                    + ".some(e => e.textContent.includes('Lunch on Friday?'))");
            assertThat(browser.find("#user").getText()).isEqualTo("ann@example.test");
            browser.find("#messages li").click();
            browser.await("document.getElementById('reply') !== null");
            browser.find("#reply").click();
            browser.await("document.getElementById('compose').open");
            assertThat(browser.find("#c-to").getAttribute("value")).isEqualTo("bob@example.test");
            assertThat(browser.find("#c-subject").getAttribute("value")).isEqualTo("Re: Lunch on Friday?");
            browser.find("#c-text").sendKeys("Yes, noon works.");
            browser.find("#c-send").click();
            browser.await("!document.getElementById('compose').open");

            try (Mailbox bobInbox = f.store.account(AccountId.parse("bob@example.test")).open(MailboxName.INBOX)) {
                assertThat(bobInbox.status().messages()).isEqualTo(1);
                String reply = bobInbox.content(bobInbox.openView(dev.mailkit.store.ViewMode.READ_ONLY).uid(1))
                        .orElseThrow().asString();
                assertThat(reply).contains("Subject: Re: Lunch on Friday?").contains("Yes, noon works.")
                        .contains("In-Reply-To: <");
            }
            Map<?, ?> sent = (Map<?, ?>) Json.parse(f.http.basic("ann@example.test", "ann-secret")
                    .get("/api/v1/messages?mailbox=Sent").ok().body());
            assertThat(sent.get("total")).isEqualTo(1L);
            Map<?, ?> inbox = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(f.http.basic("ann@example.test",
                    "ann-secret").get("/api/v1/messages").ok().body())).get("messages")).get(0);
            assertThat(inbox.get("Answered")).isEqualTo(true);
        }
    }
}
