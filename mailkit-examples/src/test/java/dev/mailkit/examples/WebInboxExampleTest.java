package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class WebInboxExampleTest {
    @TempDir
    Path dir;

    @Test
    void theReadmeWebExampleServesTheStore() throws Exception {
        ExamplesTestSupport.assertReadmeShows("src/main/java/dev/mailkit/examples/WebInboxExample.java", "README-WEB");
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1)
                .user("ann@example.test", "secret").build();
        TraceRecorder trace = TraceRecorder.create();
        try (MemoryMailStore store = MemoryMailStore.create();
             RelayQueue relay = RelayQueue.builder(dir).localDelivery(DeliveryAgent.builder().store(store).users(users)
                     .build(), "example.test").onEvent(trace::relayEvent).build().start();
             WebServer web = WebInboxExample.start(store, users, relay, trace)) {
            relay.submit(Envelope.builder().reversePath("a@example.org").recipient("ann@example.test").build(),
                    MessageSource.ofText("From: a@example.org\r\nSubject: hi ann\r\n\r\nhello\r\n"));
            assertThat(relay.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web.url()
                    + "api/v1/messages")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "ann@example.test:secret".getBytes())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"Subject\":\"hi ann\"");
        }
    }
}
