package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runnable server's --http-port and --http-open: the web inbox and API over the server's Maildirs. */
class ServerWebInboxTest {
    @TempDir
    Path data;

    private static final String[] PORTS = {"--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
            "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port", "0", "--http-port", "0"};

    private String[] args(String... more) {
        String[] a = new String[PORTS.length + more.length + 2];
        System.arraycopy(PORTS, 0, a, 0, PORTS.length);
        System.arraycopy(more, 0, a, PORTS.length, more.length);
        a[a.length - 2] = "--data";
        a[a.length - 1] = data.toString();
        return a;
    }

    private static HttpResponse<String> http(String method, String url, String auth, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (auth != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usersLogInReadTheirMaildirAndSendThroughTheRelayQueue() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse(args("--domain", "local.test", "--user", "ann@local.test:ann-pw",
                "--user", "bob@local.test:bob-pw"));
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            String url = r.web().url();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("web inbox, API      " + url
                    + "  log in with a user's address and password");
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "someone@remote.test", "ann@local.test", "hello ann",
                    r.tls(), null, null);
            assertThat(http("GET", url + "api/v1/messages", null, null).statusCode()).isEqualTo(401);
            HttpResponse<String> list = http("GET", url + "api/v1/messages", "ann@local.test:ann-pw", null);
            assertThat(list.body()).contains("\"total\":1").contains("\"Subject\":\"hello ann\"");
            assertThat(http("GET", url + "api/v1/messages", "bob@local.test:bob-pw", null).body()).contains("\"total\":0");

            HttpResponse<String> sent = http("POST", url + "api/v1/send", "ann@local.test:ann-pw", "{\"From\":{\"Email\":"
                    + "\"ann@local.test\"},\"To\":[{\"Email\":\"bob@local.test\"}],\"Subject\":\"from the web\","
                    + "\"Text\":\"hi bob\"}");
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            assertThat(r.relay().awaitEmpty(Duration.ofSeconds(10))).isTrue();
            try (Mailbox inbox = r.store().account(MailAddress.parse("bob@local.test")).open(MailboxName.INBOX)) {
                assertThat(inbox.status().messages()).isEqualTo(1);
            }
            String id = sent.body().replaceAll(".*\"ID\":\"([^\"]+)\".*", "$1");
            assertThat(http("GET", url + "api/mailkit/v1/message/" + id + "/trace", "ann@local.test:ann-pw", null)
                    .body()).contains("\"Kind\":\"submitted\"").contains("\"Kind\":\"queued\"")
                    .contains("into bob@local.test INBOX");
            assertThat(http("GET", url + "api/v1/messages?mailbox=Sent", "ann@local.test:ann-pw", null).body())
                    .contains("\"Subject\":\"from the web\"");
        }
    }

    @Test
    void httpOpenShowsTheUsersMailWithoutLoginOnLoopbackOnly() throws Exception {
        assertThatThrownBy(() -> ServerOptions.parse(args("--http-open", "--bind", "0.0.0.0", "--user",
                "a@local.test:pw"))).hasMessageContaining("loopback");
        assertThatThrownBy(() -> ServerOptions.parse(args("--http-open"))).hasMessageContaining("--user");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ServerOptions o = ServerOptions.parse(args("--http-open", "--domain", "local.test", "--user",
                "dev@local.test:pw", "--catch-all", "local.test=dev@local.test"));
        try (MailkitServerMain.Running r = MailkitServerMain.start(o, new PrintStream(buf, true, StandardCharsets.UTF_8))) {
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("open: no login (test inbox)");
            ExamplesTestSupport.send(r.smtp().port(SmtpRole.MX), "app@remote.test", "anything@local.test",
                    "caught", r.tls(), null, null);
            assertThat(http("GET", r.web().url() + "api/v1/messages", null, null).body()).contains("\"total\":1")
                    .contains("\"Subject\":\"caught\"");
        }
    }
}
