package dev.mailkit.relay;

import dev.mailkit.core.MutableClock;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue's management API and its recovery from disk after a restart. */
class RelayQueueTest {
    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2030-06-01T08:00:00Z"));
    final EventLog events = new EventLog();

    static StaticDnsResolver dns() {
        return StaticDnsResolver.builder()
                .mx("up.test", 10, "mx.up.test").address("mx.up.test", "127.0.0.1")
                .mx("down.test", 10, "mx.down.test").address("mx.down.test", "127.0.0.2")
                .build();
    }

    RelayQueue.Builder queue(int port) {
        return RelayQueue.builder(dir).mxPort(port).resolver(dns()).clock(clock).onEvent(events);
    }

    static byte[] message(String subject) {
        return ("Subject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static Envelope envelope(String... to) {
        Envelope.Builder b = Envelope.builder().reversePath("sender@origin.test");
        for (String t : to) {
            b.recipient(t);
        }
        return b.build();
    }

    List<String> files(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).collect(Collectors.toList());
        }
    }

    @Test
    void listHoldReleaseRetryAndDelete() throws Exception {
        int port = Peers.freePort();
        InMemorySink down = new InMemorySink();
        try (RelayQueue q = queue(port).build().start()) {
            String a = q.submit(envelope("a@down.test"), message("a"));
            String b = q.submit(envelope("b@down.test"), message("b"));
            String c = q.submit(envelope("c@down.test"), message("c"));
            events.await(RelayEvent.Type.DEFERRED, 3);
            List<QueueEntry> all = q.list();
            assertThat(all).extracting(QueueEntry::id).containsExactlyInAnyOrder(a, b, c);
            QueueEntry ea = q.entry(a).orElseThrow();
            assertThat(ea.attempts()).isEqualTo(1);
            assertThat(ea.nextAttempt()).contains(clock.instant().plus(Duration.ofMinutes(5)));
            assertThat(ea.recipients()).singleElement().satisfies(r -> {
                assertThat(r.state()).isEqualTo(QueueEntry.State.PENDING);
                assertThat(r.lastReply().orElseThrow()).startsWith("connect to mx.down.test[127.0.0.2]:" + port);
            });
            assertThat(ea.reversePath().orElseThrow().toString()).isEqualTo("sender@origin.test");
            assertThat(ea.origin()).isEqualTo("api");
            assertThat(ea.size()).isEqualTo(message("a").length);

            assertThat(q.hold(a)).isTrue();
            assertThat(q.entry(a).orElseThrow().isHeld()).isTrue();
            assertThat(q.entry(a).orElseThrow().nextAttempt()).isEmpty();
            assertThat(q.retryNow(a)).as("a held message is not retried").isFalse();
            assertThat(q.delete(c)).isTrue();
            assertThat(q.entry(c)).isEmpty();
            assertThat(files(".msg")).hasSize(2).noneMatch(n -> n.startsWith(c));
            assertThat(events.await(RelayEvent.Type.DELETED).recipients()).extracting(Object::toString)
                    .containsExactly("c@down.test");

            try (SmtpServer mx = Peers.receiver(down, Peers.loopback(2), port).build().start()) {
                assertThat(q.flush()).as("only the message that is not held").isEqualTo(1);
                assertThat(down.await(1, Duration.ofSeconds(10))).isTrue();
                assertThat(down.messages().get(0).envelope().recipients().toString()).contains("b@down.test");
                assertThat(q.entry(a)).isPresent();
                assertThat(q.release(a)).isTrue();
                assertThat(down.await(2, Duration.ofSeconds(10))).isTrue();
                assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
            }
            assertThat(down.count()).isEqualTo(2);
            assertThat(q.hold("NOSUCHID")).isFalse();
            assertThat(q.delete("NOSUCHID")).isFalse();
        }
        assertThat(events.of(RelayEvent.Type.HELD)).hasSize(1);
        assertThat(events.of(RelayEvent.Type.RELEASED)).hasSize(1);
    }

    /** Per-recipient state survives a restart: a recipient already delivered is never sent the message again. */
    @Test
    void restartResumesWhereItStoppedWithoutResendingDeliveredRecipients() throws Exception {
        int port = Peers.freePort();
        InMemorySink up = new InMemorySink();
        InMemorySink down = new InMemorySink();
        String id;
        String held;
        Instant next;
        try (SmtpServer mx = Peers.receiver(up, Peers.loopback(1), port).build().start()) {
            try (RelayQueue q = queue(port).build().start()) {
                id = q.submit(envelope("one@up.test", "two@down.test"), message("half"));
                held = q.submit(envelope("three@down.test"), message("held"));
                events.await(RelayEvent.Type.DEFERRED, 2);
                // the events come after the outcome is recorded: once both are in, the round is over and scheduled
                events.await(RelayEvent.Type.DELIVERED);
                assertThat(up.await(1, Duration.ofSeconds(10))).isTrue();
                q.hold(held);
                next = q.entry(id).orElseThrow().nextAttempt().orElseThrow();
                assertThat(q.entry(id).orElseThrow().recipients()).extracting(QueueEntry.Recipient::state)
                        .containsExactly(QueueEntry.State.DELIVERED, QueueEntry.State.PENDING);
            }
            assertThat(files(".msg")).hasSize(2);
            try (SmtpServer mx2 = Peers.receiver(down, Peers.loopback(2), port).build().start();
                 RelayQueue q = queue(port).build().start()) {
                QueueEntry e = q.entry(id).orElseThrow();
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.nextAttempt()).contains(next);
                assertThat(e.recipients().get(0).state()).isEqualTo(QueueEntry.State.DELIVERED);
                assertThat(e.recipients().get(0).lastReply().orElseThrow()).startsWith("250 2.0.0 Ok: queued as");
                assertThat(q.entry(held).orElseThrow().isHeld()).isTrue();
                clock.advance(Duration.ofMinutes(5));
                assertThat(down.await(1, Duration.ofSeconds(10))).isTrue();
                assertThat(down.messages().get(0).envelope().recipients()).extracting(Object::toString)
                        .containsExactly("two@down.test");
                assertThat(q.entry(held).orElseThrow().isHeld()).isTrue();
                assertThat(q.release(held)).isTrue();
                assertThat(q.awaitEmpty(Duration.ofSeconds(10))).isTrue();
            }
        }
        assertThat(up.count()).as("one@up.test got the message once").isEqualTo(1);
        assertThat(down.count()).isEqualTo(2);
        assertThat(files(".msg")).isEmpty();
    }

    @Test
    void recoveryDiscardsUnacknowledgedFilesCutsTornRecordsAndSetsDamagedFilesAside() throws Exception {
        int port = Peers.freePort();
        String id;
        try (RelayQueue q = queue(port).build().start()) {
            id = q.submit(envelope("x@down.test"), message("torn"));
            events.await(RelayEvent.Type.DEFERRED);
        }
        Path file = dir.resolve(id + ".msg");
        long intact = Files.size(file);
        Files.write(file, "0badc0de D 0 12".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        Files.write(dir.resolve("ZZZ.tmp"), "half written".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("ZZZ.msg"), "not a queue file".getBytes(StandardCharsets.US_ASCII));
        InMemorySink down = new InMemorySink();
        try (SmtpServer mx = Peers.receiver(down, Peers.loopback(2), port).build().start();
             RelayQueue q = queue(port).build().start()) {
            assertThat(Files.size(file)).as("the torn record was cut off").isEqualTo(intact);
            assertThat(files(".tmp")).isEmpty();
            assertThat(Files.exists(dir.resolve("corrupt").resolve("ZZZ.msg"))).isTrue();
            assertThat(q.list()).extracting(QueueEntry::id).containsExactly(id);
            assertThat(q.entry(id).orElseThrow().recipients().get(0).state()).isEqualTo(QueueEntry.State.PENDING);
            q.retryNow(id);
            assertThat(down.await(1, Duration.ofSeconds(10))).isTrue();
            assertThat(q.awaitEmpty(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void oneDirectoryServesOneQueue() throws Exception {
        try (RelayQueue q = queue(25).build().start()) {
            assertThatThrownBy(() -> queue(25).build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is in use by another relay queue");
        }
        try (RelayQueue again = queue(25).build().start()) {
            assertThat(again.isRunning()).isTrue();
        }
    }

    @Test
    void misuseIsExplained() throws Exception {
        RelayQueue q = queue(25).build();
        assertThatThrownBy(() -> q.submit(envelope("x@down.test"), message("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("call start() first");
        q.start();
        assertThatThrownBy(() -> q.submit(Envelope.builder().reversePath("a@b.test").build(), message("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no recipients");
        q.close();
        q.close();
        assertThatThrownBy(() -> q.submit(envelope("x@down.test"), message("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> RelayQueue.builder(dir).maxConnections(5).maxConnectionsPerDestination(6).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot exceed maxConnections");
        assertThatThrownBy(() -> RelayQueue.builder(dir).mxPort(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofHours(2)).maxDelay(Duration.ofHours(1))
                .build()).hasMessageContaining("must not be shorter than initialDelay");
        assertThatThrownBy(() -> SmartHost.builder("smtp.example.test", 587).auth("u", "p")
                .tls(RelayTls.DISABLED).build()).hasMessageContaining("password in clear");
        assertThat(SmartHost.parse("[::1]:2525").build().address()).isEqualTo("[::1]:2525");
        assertThat(SmartHost.parse("smtp.example.test").build().port()).isEqualTo(587);
        assertThatThrownBy(() -> SmartHost.parse("host:port")).hasMessageContaining("is not a number");
    }

    @Test
    void retryPolicyDefaultsAreLikePostfix() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(p.delayAfter(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(p.delayAfter(5)).isEqualTo(Duration.ofSeconds(4000));
        assertThat(p.delayAfter(50)).isEqualTo(Duration.ofSeconds(4000));
        assertThat(p.maxLifetime()).isEqualTo(Duration.ofDays(5));
    }
}
