package dev.mailkit.smtp.relay;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RelaySmokeTest {
    @TempDir
    Path dir;

    @Test
    void deliversOneMessage() throws Exception {
        int port = Peers.freePort();
        InMemorySink remote = new InMemorySink();
        EventLog events = new EventLog();
        try (SmtpServer mx = Peers.receiver(remote, Peers.loopback(1), port).build().start();
             RelayQueue q = RelayQueue.builder(dir).port(port).listener(events)
                     .resolver(StaticRelayResolver.builder().mx("remote.test", 10, "mx.remote.test")
                             .address("mx.remote.test", "127.0.0.1").build()).build().start()) {
            String id = q.submit(Envelope.builder().reversePath("a@origin.test").recipient("b@remote.test").build(),
                    "Subject: hi\r\n\r\nhello\r\n.dot\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(remote.await(1, Duration.ofSeconds(10))).as(events.toString()).isTrue();
            ReceivedMessage m = remote.messages().get(0);
            assertThat(m.source().asString()).endsWith("Subject: hi\r\n\r\nhello\r\n.dot\r\n");
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            System.out.println(id + "\n" + events);
        }
    }
}
