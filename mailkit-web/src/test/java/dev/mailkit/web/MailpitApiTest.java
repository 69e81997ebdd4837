package dev.mailkit.web;

import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Mailpit's API v1 over real SMTP deliveries into an open test inbox, checked with the JDK's HTTP client. */
class MailpitApiTest {
    private WebFixture f;

    @BeforeEach
    void start() {
        f = WebFixture.open();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Http.Response r) {
        return (Map<String, Object>) Json.parse(r.ok().body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> messages(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("messages");
    }

    @Test
    void listsNewestFirstWithPagingAndMailpitFields() {
        for (int i = 1; i <= 5; i++) {
            f.send("sender@example.org", List.of("rcpt@example.test", "hidden@example.test"),
                    WebFixture.message("Sender <sender@example.org>", "rcpt@example.test", "Message " + i, "Body " + i));
        }
        Map<String, Object> page = obj(f.http.get("/api/v1/messages?start=1&limit=2"));
        assertThat(page.get("total")).isEqualTo(5L);
        assertThat(page.get("messages_count")).isEqualTo(5L);
        assertThat(page.get("unread")).isEqualTo(5L);
        assertThat(page.get("start")).isEqualTo(1L);
        List<Map<String, Object>> ms = messages(page);
        assertThat(ms).extracting(m -> m.get("Subject")).containsExactly("Message 4", "Message 3");
        Map<String, Object> m = ms.get(0);
        assertThat(m).containsKeys("ID", "MessageID", "Read", "From", "To", "Cc", "Bcc", "ReplyTo", "Subject",
                "Created", "Tags", "Size", "Attachments", "Snippet");
        assertThat((Map<String, Object>) m.get("From")).containsEntry("Name", "Sender")
                .containsEntry("Address", "sender@example.org");
        assertThat(m.get("Snippet")).isEqualTo("Body 4");
        assertThat(m.get("Read")).isEqualTo(false);
        // the BCC recipient is known from the SMTP envelope
        assertThat((List<Map<String, Object>>) m.get("Bcc")).extracting(a -> a.get("Address"))
                .containsExactly("hidden@example.test");
        assertThat((String) m.get("Created")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void summaryMarksReadAndCarriesBodiesAndAttachments() {
        String raw = "From: a@example.org\r\nTo: b@example.test\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\n"
                + "Content-Type: multipart/alternative; boundary=Y\r\n\r\n--Y\r\nContent-Type: text/plain; charset=utf-8"
                + "\r\n\r\nplain text\r\n--Y\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html <b>text</b></p>"
                + "\r\n--Y--\r\n--X\r\nContent-Type: application/pdf; name=\"r.pdf\"\r\nContent-Disposition: attachment;"
                + " filename=\"report.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getEncoder().encodeToString("%PDF-1.4 fake".getBytes()) + "\r\n--X--\r\n";
        f.send("a@example.org", List.of("b@example.test"), raw);
        Map<String, Object> m = obj(f.http.get("/api/v1/message/latest"));
        assertThat(m.get("Subject")).isEqualTo("Grüße");
        assertThat(m.get("Text")).isEqualTo("plain text");
        assertThat(m.get("HTML")).isEqualTo("<p>html <b>text</b></p>");
        List<Map<String, Object>> att = (List<Map<String, Object>>) m.get("Attachments");
        assertThat(att).hasSize(1);
        assertThat(att.get(0)).containsEntry("FileName", "report.pdf").containsEntry("ContentType", "application/pdf")
                .containsEntry("PartID", "2").containsEntry("Size", 13L);
        assertThat((Map<String, Object>) att.get(0).get("Checksums")).containsEntry("MD5", md5("%PDF-1.4 fake"));
        assertThat(obj(f.http.get("/api/v1/messages")).get("unread")).isEqualTo(0L);

        Http.Response part = f.http.get("/api/v1/message/" + m.get("ID") + "/part/2").ok();
        assertThat(part.body()).isEqualTo("%PDF-1.4 fake");
        assertThat(part.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(part.header("Content-Disposition")).startsWith("attachment; filename=\"report.pdf\"");

        Map<String, Object> headers = obj(f.http.get("/api/v1/message/" + m.get("ID") + "/headers"));
        assertThat(headers).containsKeys("Subject", "Mime-Version", "Content-Type", "Received");
        assertThat(f.http.get("/api/v1/message/" + m.get("ID") + "/raw").ok().body()).contains(raw);
        assertThat(f.http.get("/view/" + m.get("ID") + ".txt").ok().body()).isEqualTo("plain text");
        assertThat(f.http.get("/view/" + m.get("ID") + ".html").ok().body()).isEqualTo("<p>html <b>text</b></p>");
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void searchesWithMailpitSyntax() {
        f.send("alice@example.org", List.of("team@example.test"), WebFixture.message("Alice <alice@example.org>",
                "team@example.test", "Quarterly report", "numbers inside"));
        f.send("bob@example.org", List.of("ops@example.test"), WebFixture.message("Bob <bob@example.org>",
                "ops@example.test", "Outage notice", "the quarterly numbers are late"));
        f.send("carol@example.org", List.of("team@example.test"), WebFixture.message("carol@example.org",
                "team@example.test", "Lunch", "pizza?"));
        assertThat(subjects("from:alice")).containsExactly("Quarterly report");
        assertThat(subjects("quarterly")).containsExactly("Outage notice", "Quarterly report");
        assertThat(subjects("subject:quarterly")).containsExactly("Quarterly report");
        assertThat(subjects("to:team@example.test -from:carol")).containsExactly("Quarterly report");
        assertThat(subjects("\"numbers are late\"")).containsExactly("Outage notice");
        assertThat(subjects("!subject:lunch is:unread")).containsExactly("Outage notice", "Quarterly report");
        assertThat(subjects("has:attachment")).isEmpty();
        assertThat(subjects("after:2000-01-01 before:2999-01-01")).hasSize(3);
        assertThat(subjects("before:2000-01-01")).isEmpty();
        assertThat(f.http.get("/api/v1/search?query=before:someday").status()).isEqualTo(400);
        Map<String, Object> page = obj(f.http.get("/api/v1/search?query=team"));
        assertThat(page.get("messages_count")).isEqualTo(2L);
        assertThat(page.get("total")).isEqualTo(3L);
    }

    private List<Object> subjects(String query) {
        return messages(obj(f.http.get("/api/v1/search?query=" + java.net.URLEncoder.encode(query,
                java.nio.charset.StandardCharsets.UTF_8)))).stream().map(m -> m.get("Subject"))
                .collect(java.util.stream.Collectors.toList());
    }

    @Test
    void deletesByIdBySearchAndAll() {
        for (String s : List.of("keep", "drop one", "drop two", "other")) {
            f.send("x@example.org", List.of("y@example.test"), WebFixture.message("x@example.org", "y@example.test", s,
                    s));
        }
        String id = (String) messages(obj(f.http.get("/api/v1/search?query=subject:other"))).get(0).get("ID");
        f.http.delete("/api/v1/messages", "{\"IDs\":[\"" + id + "\"]}").ok();
        assertThat(f.http.get("/api/v1/message/" + id).status()).isEqualTo(404);
        f.http.delete("/api/v1/search?query=subject:drop", null).ok();
        assertThat(messages(obj(f.http.get("/api/v1/messages")))).extracting(m -> m.get("Subject"))
                .containsExactly("keep");
        f.http.delete("/api/v1/messages", null).ok();
        assertThat(obj(f.http.get("/api/v1/messages")).get("total")).isEqualTo(0L);
    }

    @Test
    void readStatusAndTags() {
        for (String s : List.of("one", "two", "three")) {
            f.send("x@example.org", List.of("y@example.test"), WebFixture.message("x@example.org", "y@example.test", s,
                    s));
        }
        f.http.put("/api/v1/messages", "{\"Read\":true}").ok();
        assertThat(obj(f.http.get("/api/v1/messages")).get("unread")).isEqualTo(0L);
        f.http.put("/api/v1/messages", "{\"Read\":false,\"Search\":\"subject:two\"}").ok();
        assertThat(subjects("is:unread")).containsExactly("two");
        String id = (String) messages(obj(f.http.get("/api/v1/search?query=subject:three"))).get(0).get("ID");
        f.http.put("/api/v1/tags", "{\"IDs\":[\"" + id + "\"],\"Tags\":[\"Tag 1\",\"urgent\"]}").ok();
        assertThat(Json.parse(f.http.get("/api/v1/tags").ok().body())).isEqualTo(List.of("Tag 1", "urgent"));
        assertThat(subjects("tag:\"tag 1\"")).containsExactly("three");
        f.http.put("/api/v1/tags/urgent", "{\"Name\":\"later\"}").ok();
        assertThat(subjects("tag:later")).containsExactly("three");
        f.http.delete("/api/v1/tags/Tag%201", null).ok();
        assertThat(messages(obj(f.http.get("/api/v1/search?query=subject:three"))).get(0).get("Tags"))
                .isEqualTo(List.of("later"));
        Map<String, Object> info = obj(f.http.get("/api/v1/info"));
        assertThat(info.get("Messages")).isEqualTo(3L);
        assertThat((Map<String, Object>) info.get("Tags")).containsEntry("later", 1L);
    }

    @Test
    void sendStoresTheMessageThroughSmtp() {
        Map<String, Object> r = obj(f.http.post("/api/v1/send", "{\"From\":{\"Email\":\"app@example.org\","
                + "\"Name\":\"App\"},\"To\":[{\"Email\":\"user@example.test\"}],\"Bcc\":[\"audit@example.test\"],"
                + "\"Subject\":\"Hello\",\"Text\":\"Hi there\",\"HTML\":\"<p>Hi <img src=\\\"cid:logo\\\"></p>\","
                + "\"Tags\":[\"api\"],\"Attachments\":[{\"Content\":\"iVBORw0KGgo=\",\"Filename\":\"logo.png\","
                + "\"ContentID\":\"logo\"}]}"));
        String id = (String) r.get("ID");
        assertThat(id).isNotEmpty();
        Map<String, Object> m = obj(f.http.get("/api/v1/message/" + id));
        assertThat(m.get("Subject")).isEqualTo("Hello");
        assertThat(m.get("Text")).isEqualTo("Hi there");
        assertThat(m.get("Tags")).isEqualTo(List.of("api"));
        assertThat((List<Map<String, Object>>) m.get("Bcc")).extracting(a -> a.get("Address"))
                .containsExactly("audit@example.test");
        assertThat((List<?>) m.get("Inline")).hasSize(1);
        String html = f.http.get("/view/" + id + ".html").ok().body();
        assertThat(html).contains("src=\"data:image/png;base64,iVBORw0KGgo=\"").doesNotContain("cid:");
        assertThat(f.http.post("/api/v1/send", "{\"From\":{\"Email\":\"not an address\"}}").status()).isEqualTo(400);
        // what would start a new header field is refused, wherever it hides
        for (String evil : List.of("\"From\":{\"Email\":\"a@example.org\",\"Name\":\"Eve\\r\\nBcc: x@example.org\"}",
                "\"From\":{\"Email\":\"a@example.org\"},\"Subject\":\"hi\\r\\nBcc: x@example.org\"",
                "\"From\":{\"Email\":\"a@example.org\"},\"ReplyTo\":[{\"Email\":\"r@example.org\",\"Name\":\"a\\nb\"}]",
                "\"From\":{\"Email\":\"a@example.org\"},\"Attachments\":[{\"Content\":\"\",\"Filename\":\"a\\r\\nX: y\"}]")) {
            assertThat(f.http.post("/api/v1/send", "{" + evil + ",\"To\":[{\"Email\":\"b@example.test\"}]}")
                    .status()).as(evil).isEqualTo(400);
        }
        assertThat(f.http.post("/api/v1/send", "{\"From\":{\"Email\":\"a@example.org\"},\"To\":[{\"Email\":"
                + "\"b@example.test\"}],\"Headers\":{\"X-Evil\":\"a\\r\\nBcc: x@example.org\"}}").status())
                .isEqualTo(400);
    }
}
