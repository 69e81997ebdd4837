package dev.mailkit.web;

import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Server-sent events on {@code /api/events}: new mail, flag changes and deletions as they happen. */
class EventsTest {
    /** Reads the event stream's data lines (each a JSON event), skipping comments and blank lines. */
    private static Map<?, ?> next(BufferedReader in, String type) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("data: ")) {
                Map<?, ?> ev = (Map<?, ?>) Json.parse(line.substring(6));
                if (ev.get("Type").equals(type)) {
                    return (Map<?, ?>) ev.get("Data");
                }
            }
        }
        throw new AssertionError("the event stream ended before a " + type + " event");
    }

    @Test
    void newMailFlagChangesAndDeletionsArePushed() throws IOException {
        try (WebFixture f = WebFixture.open(); Socket s = new Socket("127.0.0.1", f.web.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /api/events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean eventStream = false;
            while (!(line = in.readLine()).isEmpty()) {
                eventStream |= line.equals("Content-Type: text/event-stream; charset=utf-8");
            }
            assertThat(eventStream).isTrue();
            assertThat(in.readLine()).isEqualTo("retry: 2000"); // the stream is registered once this arrives

            long t0 = System.nanoTime();
            f.send("a@example.org", List.of("b@example.test"), WebFixture.message("A <a@example.org>", "b@example.test",
                    "Pushed", "hello"));
            Map<?, ?> added = next(in, "new");
            Duration latency = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(added.get("Subject")).isEqualTo("Pushed");
            assertThat(added.get("Mailbox")).isEqualTo("INBOX");
            assertThat(latency).isLessThan(Duration.ofSeconds(1));
            String id = (String) added.get("ID");

            f.http.put("/api/v1/messages", "{\"IDs\":[\"" + id + "\"],\"Read\":true}").ok();
            Map<?, ?> update = next(in, "update");
            assertThat(update.get("ID")).isEqualTo(id);
            assertThat(update.get("Read")).isEqualTo(true);

            f.http.delete("/api/v1/messages", "{\"IDs\":[\"" + id + "\"]}").ok();
            assertThat(next(in, "delete").get("IDs")).isEqualTo(List.of(id));
            assertThat(next(in, "stats").get("Total")).isEqualTo(0L);

            // closing the server ends the stream promptly
            long c0 = System.nanoTime();
            f.web.close();
            while (in.readLine() != null) {
                // drain until the server closes the connection
            }
            assertThat(Duration.ofNanos(System.nanoTime() - c0)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
