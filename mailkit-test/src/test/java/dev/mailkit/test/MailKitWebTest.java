package dev.mailkit.test;

import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code .web()}: the web inbox and Mailpit's API on the throwaway server, one message per SMTP transaction with its
 * envelope and transcript. Runs without mailkit-relay (and dnsjava) on the class path: the web module's relay part
 * is optional.
 */
class MailKitWebTest {
    private static String get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private static String post(String url, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void everyTransactionIsShownOnceWithItsEnvelopeAndTranscript() throws Exception {
        assertThatThrownBy(() -> Class.forName("dev.mailkit.relay.RelayQueue")).isInstanceOf(
                ClassNotFoundException.class);
        try (MailKit mail = MailKit.builder().web().imap().build().start()) {
            assertThat(mail.webUrl()).matches("http://127\\.0\\.0\\.1:\\d+/");
            Mailer c = new Mailer(mail.smtpPort());
            MimeMessage m = c.simple("shop@shop.test", "bob@example.test, carol@example.test", "Receipt", "Thanks");
            m.addRecipient(Message.RecipientType.BCC, new InternetAddress("audit@example.test"));
            c.send(m);
            mail.takeMessage();

            String list = get(mail.webUrl() + "api/v1/messages");
            assertThat(list).contains("\"total\":1").contains("\"Subject\":\"Receipt\"")
                    .contains("{\"Name\":\"\",\"Address\":\"audit@example.test\"}");
            String id = list.replaceAll("(?s).*\"ID\":\"([^\"]+)\".*", "$1");
            assertThat(get(mail.webUrl() + "api/mailkit/v1/message/" + id + "/trace"))
                    .contains("RCPT TO:\\u003caudit@example.test\\u003e") // JSON escapes < and >
                    .contains("\"MailFrom\":\"\\u003cshop@shop.test\\u003e\"");
            assertThat(get(mail.webUrl())).contains("<title>mailkit</title>");

            // Mailpit's send goes through the server's SMTP port: recorded like any mail
            post(mail.webUrl() + "api/v1/send", "{\"From\":{\"Email\":\"app@example.test\"},\"To\":[{\"Email\":"
                    + "\"dave@example.test\"}],\"Subject\":\"Via the API\",\"Text\":\"hi\"}");
            assertThat(mail.takeMessage().subject()).isEqualTo("Via the API");
            assertThat(get(mail.webUrl() + "api/v1/messages")).contains("\"total\":2");

            mail.purgeAll();
            assertThat(get(mail.webUrl() + "api/v1/messages")).contains("\"total\":0");
        }
    }

    @Test
    void withoutWebThereIsNoUrlAndAFailedWaitNamesItWhenThereIs() {
        try (MailKit mail = MailKit.startDefault()) {
            assertThatThrownBy(mail::webUrl).isInstanceOf(IllegalStateException.class).hasMessageContaining("web()");
        }
        try (MailKit mail = MailKit.builder().web().timeout(Duration.ofMillis(50)).build().start()) {
            assertThatThrownBy(mail::takeMessage).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("The web inbox: " + mail.webUrl());
        }
    }
}
