package dev.mailkit.web;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.relay.RelayEvent;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.web.internal.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Where did my mail go?": the delivery trace from the SMTP server (filter and sink) and the relay queue (its events),
 * seen through the web API, and the relay queue view with its actions; each user sees only their own mail there.
 */
class DeliveryTraceTest {
    @TempDir
    Path queueDir;

    @Test
    void sentMailIsTracedThroughTheRelayAndTheQueueIsManagedByItsSender() throws Exception {
        InMemorySink remote = new InMemorySink();
        MailFilter later = new MailFilter() {
            @Override
            public FilterVerdict onRcptTo(SessionInfo s, MailAddress rcpt, Map<String, String> p) {
                return rcpt.localPart().equals("later") ? FilterVerdict.tempFail(451, "4.2.0", "try later")
                        : FilterVerdict.accept();
            }
        };
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1)
                .user("ann@example.test", "ann-secret").user("bob@example.test", "bob-secret").build();
        TraceRecorder trace = TraceRecorder.create();
        BlockingQueue<RelayEvent> events = new LinkedBlockingQueue<>();
        DeliveryAgent agent = DeliveryAgent.builder().store(store).users(users).build();
        try (SmtpServer mx = SmtpServer.builder().acceptAllDomains().filters(later).sink(remote).build().start();
             RelayQueue relay = RelayQueue.builder(queueDir).hostName("mail.example.test")
                     .smartHost(SmartHost.builder("127.0.0.1", mx.port()).build())
                     .localDelivery(trace.sink(agent), "example.test").onEvent(e -> {
                         trace.relayEvent(e);
                         events.add(e);
                     }).build().start();
             SmtpServer smtp = SmtpServer.builder().localDomains("example.test").users(users).requireTlsForLogin(false)
                     .optionalAuth().authFailurePenalty(AuthFailurePenalty.none()).transcripts(true).filters(trace)
                     .sink(trace.sink(agent)).relay(relay).build().start();
             WebServer web = WebServer.builder().store(store).users(users).trace(trace).relayQueue(relay)
                     .submission(MailSender.queue(relay)).build().start()) {
            Http ann = new Http(web.url()).basic("ann@example.test", "ann-secret");
            Http bob = new Http(web.url()).basic("bob@example.test", "bob-secret");

            // ann writes in the web inbox to a remote and a local recipient
            String sentId = (String) ((Map<?, ?>) Json.parse(ann.post("/api/v1/send", "{\"From\":{\"Email\":"
                    + "\"ann@example.test\"},\"To\":[{\"Email\":\"carol@remote.test\"},{\"Email\":\"bob@example.test\"}],"
                    + "\"Subject\":\"Traced\",\"Text\":\"hi\"}").ok().body())).get("ID");
            assertThat(remote.poll(Duration.ofSeconds(10))).isPresent();
            assertThat(relay.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            Map<?, ?> t = (Map<?, ?>) Json.parse(ann.get("/api/mailkit/v1/message/" + sentId + "/trace").ok().body());
            assertThat(((String) t.get("TransactionID"))).startsWith("web-");
            assertThat(((Map<?, ?>) t.get("Envelope")).get("RcptTo")).isEqualTo(List.of("carol@remote.test",
                    "bob@example.test"));
            List<Object> kinds = ((List<?>) t.get("Events")).stream().map(e -> ((Map<?, ?>) e).get("Kind"))
                    .collect(java.util.stream.Collectors.toList());
            assertThat(kinds).contains("submitted", "queued", "relayed", "delivered");
            assertThat(t.toString()).contains("into bob@example.test INBOX").contains("127.0.0.1");

            // bob received it: he sees what happened to his own copy, not the envelope with the other recipients
            String bobsId = (String) ((Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse(bob.get("/api/v1/messages").ok()
                    .body())).get("messages")).get(0)).get("ID");
            Map<?, ?> bt = (Map<?, ?>) Json.parse(bob.get("/api/mailkit/v1/message/" + bobsId + "/trace").ok().body());
            assertThat(bt.get("Envelope")).isNull();
            assertThat(bt.get("Transcript")).isNull();
            assertThat(bt.toString()).doesNotContain("carol@remote.test");

            // over SMTP, to a recipient whose server says "later": traced, and in the queue view of its sender only
            WebFixture.Smtp.sendAuthenticated(smtp.port(), "ann@example.test", "ann-secret", "ann@example.test",
                    List.of("later@remote.test"), WebFixture.message("ann@example.test", "later@remote.test", "Delayed",
                            "soon"));
            List<?> queue = (List<?>) Json.parse(ann.get("/api/mailkit/v1/queue").ok().body());
            assertThat(queue).hasSize(1);
            String qid = (String) ((Map<?, ?>) queue.get(0)).get("ID");
            assertThat(Json.parse(bob.get("/api/mailkit/v1/queue").ok().body())).isEqualTo(List.of());
            assertThat(bob.post("/api/mailkit/v1/queue/" + qid + "/hold", null).status()).isEqualTo(404);
            awaitEvent(events, RelayEvent.Type.DEFERRED, qid);
            List<?> tx = (List<?>) Json.parse(ann.get("/api/mailkit/v1/transactions").ok().body());
            String delayed = tx.stream().map(Object::toString).filter(s -> s.contains("later@remote.test"))
                    .findFirst().orElseThrow();
            assertThat(delayed).contains("received").contains("queued").contains("deferred").contains("451");
            assertThat(Json.parse(bob.get("/api/mailkit/v1/transactions").ok().body())).isEqualTo(List.of());

            ann.post("/api/mailkit/v1/queue/" + qid + "/hold", null).ok();
            assertThat(relay.entry(qid).orElseThrow().isHeld()).isTrue();
            ann.post("/api/mailkit/v1/queue/" + qid + "/release", null).ok();
            assertThat(relay.entry(qid).orElseThrow().isHeld()).isFalse();
            assertThat(ann.delete("/api/mailkit/v1/queue/" + qid, null).status()).isEqualTo(200);
            assertThat(relay.entry(qid)).isEmpty();
        } finally {
            store.close();
        }
    }

    /** Waits for the relay's event of that type for that message. */
    private static void awaitEvent(BlockingQueue<RelayEvent> events, RelayEvent.Type type, String qid)
            throws InterruptedException {
        RelayEvent e;
        do {
            e = events.poll(10, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no " + type + " event for " + qid + " within 10 s");
            }
        } while (e.type() != type || !e.queueId().equals(qid));
    }
}
