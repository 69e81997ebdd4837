package dev.mailkit.scan.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.HeaderEdit;
import dev.mailkit.scan.ScanResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pieces under the clients: JSON, addresses, header edits and the rewritten message, the breaker, replies. */
class InternalsTest {
    @Test
    void jsonParsesWhatRspamdSendsAndRefusesGarbageAndDepth() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, null, \"x\\u00e9\\n\"], \"b\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -25.0, true, null, "x\u00e9\n"),
                "b", Map.of()));
        for (String bad : List.of("", "{", "{\"a\":}", "[1,]", "{\"a\":1} x", "\"\u0001\"", "tru", "{'a':1}",
                "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(ScanProtocolException.class);
        }
    }

    @Test
    void endpointsParseAndSayWhatIsExpected() {
        assertThat(Endpoint.parse("127.0.0.1:3310", "clamd").toString()).isEqualTo("127.0.0.1:3310");
        assertThat(Endpoint.parse("[::1]:783", "spamd").host()).isEqualTo("::1");
        assertThat(Endpoint.parse("unix:/run/clamav/clamd.ctl", "clamd").isUnix()).isTrue();
        assertThat(Endpoint.parse("/run/x.sock", "clamd").toString()).isEqualTo("unix:/run/x.sock");
        for (String bad : List.of("localhost", "host:", ":25", "host:port", "::1:25", "host:70000", "ho st:25")) {
            assertThatThrownBy(() -> Endpoint.parse(bad, "clamd address")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clamd address");
        }
    }

    @Test
    void headerEditsAllowFoldingAndNothingElse() {
        assertThat(HeaderEdit.add("X-A", "one\n\ttwo").value()).isEqualTo("one\r\n\ttwo");
        assertThat(HeaderEdit.add("X-A", "one\r\n two").value()).isEqualTo("one\r\n two");
        for (String bad : List.of("a\r\nX-B: c", "a\nX-B: c", "a\rb", "a\r\n", "a\n\t\nbody", "a\n \r\n", "a\0b",
                "x".repeat(HeaderEdit.MAX_VALUE + 1))) {
            assertThatThrownBy(() -> HeaderEdit.add("X-A", bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String name : List.of("", "X A", "X:A", "X\r\nA", "\u00e4")) {
            assertThatThrownBy(() -> HeaderEdit.add(name, "v")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> HeaderEdit.change("Subject", 0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HeaderEdit.insert(-1, "X", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEditorRewritesTheHeaderAndKeepsTheBodyAsItWas() throws Exception {
        try (MessageSource m = MessageSource.ofText("Received: a\r\nX-Spam: yes\r\nSubject: old\r\n\tfolded\r\n"
                + "X-Spam: again\r\nTo: x@y\r\n\r\nbody\r\n\r\nmore\r\n");
             MessageSource out = MessageEditor.apply(m, List.of(HeaderEdit.remove("x-spam", 0),
                     HeaderEdit.change("Subject", 1, "new \u00fcmlaut"), HeaderEdit.insert(1, "X-Second", "2"),
                     HeaderEdit.add("X-Last", "z"), HeaderEdit.remove("To", -1), HeaderEdit.change("X-New", 3, "n")),
                     null, List.<String[]>of(new String[] {"X-Top", "t"}), Set.of("received"))) {
            assertThat(out.asString()).isEqualTo("X-Top: t\r\nSubject: =?UTF-8?Q?new_=C3=BCmlaut?=\r\nX-Second: 2\r\n"
                    + "X-Last: z\r\nX-New: n\r\n\r\nbody\r\n\r\nmore\r\n");
        }
        try (MessageSource headerOnly = MessageSource.ofText("Subject: x");
             MessageSource out = MessageEditor.apply(headerOnly, List.of(HeaderEdit.add("X-A", "1")), null, List.of(),
                     Set.of());
             MessageSource body = MessageSource.ofText("new body\r\n");
             MessageSource replaced = MessageEditor.apply(MessageSource.ofText("A: 1\r\n\r\nold\r\n"), List.of(), body,
                     List.of(), Set.of())) {
            assertThat(out.asString()).isEqualTo("Subject: x\r\nX-A: 1\r\n\r\n");
            assertThat(replaced.asString()).isEqualTo("A: 1\r\n\r\nnew body\r\n");
        }
    }

    @Test
    void theHeadersLookLikeSpamAssassinsAndSayWhatEveryScannerDid() {
        ScanResult spam = ScanResult.builder(ScanResult.Verdict.SPAM).score(7.25, 6).symbol("B").symbol("A\r\nX")
                .build();
        List<String[]> f = ScanHeaders.fields("mx.test", List.of(ScanHeaders.scanned("rspamd", spam),
                new ScanHeaders.Entry("clamd", "skipped", "larger than 10 bytes"),
                new ScanHeaders.Entry("spamd", "unscanned", "timeout (really)")), List.of(
                new ScanHeaders.Scored("rspamd", spam)));
        assertThat(f).extracting(h -> h[0] + ": " + h[1]).containsExactly("X-Spam-Flag: YES", "X-Spam-Score: 7.25",
                "X-Spam-Level: *******", "X-Spam-Status: Yes, score=7.25 required=6 tests=B scanner=rspamd",
                "X-Scan-Results: mx.test; rspamd=spam (score=7.25 required=6); clamd=skipped (larger than 10 bytes); "
                        + "spamd=unscanned (timeout [really])");
        assertThat(ScanHeaders.number(1004.2)).isEqualTo("1004.2");
        assertThat(ScanHeaders.number(-0.1)).isEqualTo("-0.1");
        assertThat(ScanHeaders.number(15)).isEqualTo("15");
    }

    @Test
    void theBreakerOpensAfterFailuresInARowAndTriesAgainLater() {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        Breaker b = new Breaker(2, Duration.ofSeconds(30), clock);
        assertThat(b.failure()).isFalse();
        b.success();
        assertThat(b.failure()).isFalse();
        assertThat(b.failure()).isTrue();
        assertThat(b.allows()).isFalse();
        now[0] = now[0].plusSeconds(31);
        assertThat(b.allows()).isTrue();
        assertThat(b.failure()).as("one more failure opens it again").isTrue();
        assertThat(b.allows()).isFalse();
        now[0] = now[0].plusSeconds(31);
        b.success();
        assertThat(b.allows()).isTrue();
        assertThat(b.openUntil()).isNull();
    }

    @Test
    void aMiltersReplyCodeIsCheckedAndMadePrintable() throws Exception {
        assertThat(MilterSession.replyCode("550 5.7.1 Virus found: X\r\n250 ok").reply().toString())
                .isEqualTo("550 5.7.1 Virus found: X 250 ok");
        assertThat(MilterSession.replyCode("451 try later").reply().enhancedStatus()).isEqualTo("4.7.1");
        assertThat(MilterSession.replyCode("554 4.7.1 mismatched").reply().toString())
                .isEqualTo("554 5.7.1 4.7.1 mismatched");
        for (String bad : List.of("250 ok", "abc", "", "99")) {
            assertThatThrownBy(() -> MilterSession.replyCode(bad)).isInstanceOf(ScanProtocolException.class);
        }
    }

    @Test
    void rspamdsAnswerBecomesAResult() throws Exception {
        ScanResult r = RspamdAnswer.parse("{\"action\":\"soft reject\",\"score\":3,\"required_score\":15,"
                + "\"messages\":{\"smtp_message\":\"Try again\\r\\nlater\"}}");
        assertThat(r.verdict()).isEqualTo(ScanResult.Verdict.TEMPFAIL);
        assertThat(r.reply().orElseThrow().toString()).isEqualTo("451 4.7.1 Try again later");
        assertThat(RspamdAnswer.parse("{\"action\":\"greylist\"}").verdict()).isEqualTo(ScanResult.Verdict.TEMPFAIL);
        assertThat(RspamdAnswer.parse("{\"action\":\"discard\"}").verdict()).isEqualTo(ScanResult.Verdict.DISCARD);
        assertThat(RspamdAnswer.parse("{\"action\":\"no action\",\"dkim-signature\":\"v=1; d=x\"}").edits())
                .containsExactly(HeaderEdit.insert(0, "DKIM-Signature", "v=1; d=x"));
        assertThatThrownBy(() -> RspamdAnswer.parse("[1]")).isInstanceOf(ScanProtocolException.class);
        assertThatThrownBy(() -> RspamdAnswer.parse("{\"error\":\"oops\"}")).hasMessageContaining("oops");
    }
}
