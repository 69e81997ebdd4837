package dev.mailkit.scan;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scanners that misbehave, on loopback sockets, behind the real SMTP receiver: one that never answers, one that dies
 * in the middle of a scan, one that answers garbage, one that answers without end, one that puts CR and LF into rule
 * names, header values and its reply. The session always gets the failure policy's reply (or the message with only
 * sanitised fields), nothing is lost, and mailkit lets go of every connection.
 */
class HostileScannersTest {
    static final Duration TIMEOUT = Duration.ofMillis(400);

    static SmtpServer server(InMemorySink sink, ScanFilter filter) {
        return SmtpServer.builder().localDomains("local.test").hostName("mx.local.test").sink(sink).filters(filter)
                .build().start();
    }

    static ScanFilter rspamdAt(FakeDaemon fake, FailurePolicy policy) {
        return ScanFilter.builder().hostName("mx.local.test")
                .scanner(RspamdClient.builder(fake.url()).timeout(TIMEOUT).build(),
                        ScanOptions.defaults().onFailure(policy)).build();
    }

    static String send(SmtpServer smtp) throws Exception {
        return Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.clean());
    }

    static void answer(OutputStream out, String raw) throws Exception {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aScannerThatNeverAnswersCostsOneTimeoutAndThePolicysReply() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = new FakeDaemon((s, in) -> FakeDaemon.drain(in));
             SmtpServer smtp = server(sink, rspamdAt(fake, FailurePolicy.TEMPFAIL))) {
            long start = System.nanoTime();
            assertThat(send(smtp)).startsWith("451 4.7.1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(sink.messages()).isEmpty();
            assertThat(fake.awaitAllReleased(Duration.ofSeconds(5))).as("mailkit closed its connection").isTrue();
        }
    }

    @Test
    void aScannerThatDiesInTheMiddleOfAScan() throws Exception {
        for (FailurePolicy policy : FailurePolicy.values()) {
            InMemorySink sink = new InMemorySink();
            try (FakeDaemon fake = new FakeDaemon((s, in) -> {
                in.readNBytes(40); // part of the request, then the daemon is killed
                s.setSoLinger(true, 0);
                s.close();
            });
                 SmtpServer smtp = server(sink, rspamdAt(fake, policy))) {
                String reply = send(smtp);
                if (policy == FailurePolicy.TEMPFAIL) {
                    assertThat(reply).startsWith("451 4.7.1");
                    assertThat(sink.messages()).isEmpty();
                } else {
                    assertThat(reply).startsWith("250");
                    ReceivedMessage m = sink.poll(Duration.ofSeconds(5)).orElseThrow();
                    assertThat(m.source().headers().getHeader("X-Scan-Results", null)).matches(
                            "mx\\.local\\.test; rspamd=unscanned \\((connection closed|connection reset|error)\\)");
                    assertThat(m.source().headers().getHeader("X-Spam-Flag", null)).isNull();
                }
            }
        }
    }

    @Test
    void garbageAndEndlessAnswersAreFailuresOfBoundedCost() throws Exception {
        List<FakeDaemon.Script> hostile = List.of(
                (s, in) -> {
                    FakeDaemon.readHttpRequest(in);
                    answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{{{{{{{{{");
                },
                (s, in) -> {
                    FakeDaemon.readHttpRequest(in);
                    answer(s.getOutputStream(), "SPAMD/1.1 0 EX_OK\r\n\r\n\u0000\u0001garbage");
                },
                (s, in) -> {
                    FakeDaemon.readHttpRequest(in);
                    answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n{");
                },
                (s, in) -> {
                    FakeDaemon.readHttpRequest(in);
                    answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n{\"action\":\"format c:\"}"
                            + " ".repeat(18));
                },
                (s, in) -> { // a header line without end, for as long as anyone reads it
                    FakeDaemon.readHttpRequest(in);
                    OutputStream out = s.getOutputStream();
                    answer(out, "HTTP/1.1 200 OK\r\nX-Big: ");
                    byte[] a = new byte[65536];
                    java.util.Arrays.fill(a, (byte) 'a');
                    for (int i = 0; i < 2000; i++) {
                        out.write(a);
                    }
                });
        for (FakeDaemon.Script script : hostile) {
            InMemorySink sink = new InMemorySink();
            try (FakeDaemon fake = new FakeDaemon(script);
                 SmtpServer smtp = server(sink, rspamdAt(fake, FailurePolicy.TEMPFAIL))) {
                assertThat(send(smtp)).startsWith("451 4.7.1");
                assertThat(sink.messages()).isEmpty();
                assertThat(fake.awaitAllReleased(Duration.ofSeconds(5))).isTrue();
            }
        }
    }

    @Test
    void crAndLfFromTheScannerNeverReachAHeaderOrAReply() throws Exception {
        String json = "{\"action\":\"add header\",\"score\":6.5,\"required_score\":15,"
                + "\"symbols\":{\"GOOD_ONE\":{},\"EVIL\\r\\nX-Injected: symbol\":{},\"SP ACE\":{},\"UM\\u00e4UT\":{}},"
                + "\"milter\":{\"add_headers\":{\"X-Ok\":\"fine\",\"X-Bad\":\"a\\r\\nX-Injected: value\","
                + "\"Bad Name\\r\\nX-Injected\":\"x\",\"X-Folded\":\"one\\r\\n\\ttwo\",\"X-Blank\":\"a\\r\\n \\r\\n\\r\\nbody\"},"
                + "\"remove_headers\":{\"Subject\\r\\nX-Injected: remove\":0}}}";
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readHttpRequest(in);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n" + json);
        });
             SmtpServer smtp = server(sink, rspamdAt(fake, FailurePolicy.TEMPFAIL))) {
            assertThat(send(smtp)).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(5)).orElseThrow();
            String text = m.source().asString();
            assertThat(text).doesNotContain("X-Injected").contains("X-Ok: fine\r\n").contains("X-Folded: one\r\n\ttwo\r\n")
                    .contains("Subject: Lunch on Friday").contains("\r\n\r\nShall we meet");
            assertThat(m.source().headers().getHeader("X-Spam-Status", null))
                    .isEqualTo("Yes, score=6.5 required=15 tests=GOOD_ONE scanner=rspamd");
        }
        String reject = "{\"action\":\"reject\",\"messages\":{\"smtp_message\":\"go away\\r\\n250 2.0.0 Ok: faked\"}}";
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readHttpRequest(in);
            answer(s.getOutputStream(), "HTTP/1.1 200 OK\r\nContent-Length: " + reject.length() + "\r\n\r\n" + reject);
        });
             SmtpServer smtp = server(sink, rspamdAt(fake, FailurePolicy.TEMPFAIL))) {
            assertThat(send(smtp)).isEqualTo("550 5.7.1 go away 250 2.0.0 Ok: faked");
        }
    }

    @Test
    void aScannerThatKeepsFailingIsSkippedForAWhile() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (FakeDaemon fake = new FakeDaemon((s, in) -> FakeDaemon.drain(in))) {
            ScanFilter filter = ScanFilter.builder().hostName("mx.local.test")
                    .scanner(RspamdClient.builder(fake.url()).timeout(TIMEOUT).build(), ScanOptions.defaults()
                            .onFailure(FailurePolicy.ACCEPT).circuitBreaker(2, Duration.ofMinutes(5))).build();
            try (SmtpServer smtp = server(sink, filter)) {
                for (int i = 0; i < 4; i++) {
                    assertThat(send(smtp)).startsWith("250");
                    ReceivedMessage m = sink.poll(Duration.ofSeconds(5)).orElseThrow();
                    String results = m.source().headers().getHeader("X-Scan-Results", null).replace("\r\n\t", " ");
                    if (i < 2) {
                        assertThat(results).isEqualTo("mx.local.test; rspamd=unscanned (timeout)");
                    } else {
                        assertThat(results).startsWith("mx.local.test; rspamd=unscanned (skipped after 2 failures");
                    }
                }
                // skipped means not asked at all (no connection, so no wait for its timeout); a duration limit
                // here failed on a loaded machine
                assertThat(fake.connections()).isEqualTo(2);
                assertThat(filter.health()).singleElement().satisfies(h -> {
                    assertThat(h.up()).isFalse();
                    assertThat(h.skipUntil()).isPresent();
                });
            }
        }
    }

    /** Rspamd's SQLite statistics busy: a learn request is tried again, and reported when it stays busy. */
    @Test
    void learningIsTriedAgainWhileRspamdsDatabaseIsLocked() throws Exception {
        String locked = "{\"error\":\"cannot commit checkpoint: database is locked\"}";
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readHttpRequest(in);
            String body = requests.incrementAndGet() <= 2 ? locked : "{\"success\":true}";
            answer(s.getOutputStream(), "HTTP/1.1 " + (body == locked ? "500 Error" : "200 OK") + "\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body);
        })) {
            RspamdClient client = RspamdClient.builder(fake.url()).controller(fake.url(), "pw").timeout(TIMEOUT).build();
            client.learnSpam(Messages.clean());
            assertThat(requests.get()).as("two locked answers, then success").isEqualTo(3);
        }
        requests.set(0);
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readHttpRequest(in);
            requests.incrementAndGet();
            answer(s.getOutputStream(), "HTTP/1.1 500 Error\r\nContent-Length: " + locked.length()
                    + "\r\nConnection: close\r\n\r\n" + locked);
        })) {
            RspamdClient client = RspamdClient.builder(fake.url()).controller(fake.url(), "pw").timeout(TIMEOUT).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.learnSpam(Messages.clean()))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("database is locked");
            assertThat(requests.get()).as("given up after eight tries").isEqualTo(8);
        }
        // any other error is reported at once, not tried again
        requests.set(0);
        try (FakeDaemon fake = new FakeDaemon((s, in) -> {
            FakeDaemon.readHttpRequest(in);
            requests.incrementAndGet();
            String body = "{\"error\":\"unauthorized\"}";
            answer(s.getOutputStream(), "HTTP/1.1 403 Forbidden\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body);
        })) {
            RspamdClient client = RspamdClient.builder(fake.url()).controller(fake.url(), "pw").timeout(TIMEOUT).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.learnHam(Messages.clean()))
                    .isInstanceOf(java.io.IOException.class).hasMessageContaining("403");
            assertThat(requests.get()).isEqualTo(1);
        }
    }
}
