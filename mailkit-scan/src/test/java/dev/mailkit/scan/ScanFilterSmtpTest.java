package dev.mailkit.scan;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.scan.daemons.Clamd;
import dev.mailkit.scan.daemons.RealDaemons;
import dev.mailkit.scan.daemons.Rspamd;
import dev.mailkit.smtp.SmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter behind the real SMTP receiver, with real Rspamd and clamd, and Jakarta Mail as the client: GTUBE and
 * EICAR are refused before 250 and nothing is stored; a clean message arrives with the scanners' header fields (and
 * without forged ones); a message over a scanner's size limit skips it with a header that says so; spam Rspamd only
 * tags arrives marked; authenticated submissions are scanned only when asked to.
 */
@ExtendWith(RealDaemons.class)
class ScanFilterSmtpTest {
    static SmtpServer server(InMemorySink sink, ScanFilter filter) {
        return SmtpServer.builder().localDomains("local.test").hostName("mx.local.test").sink(sink).filters(filter)
                .users(InMemoryUserDirectory.builder().passwordHashIterations(1).user("alice@local.test", "pw").build())
                .requireTlsForLogin(false).optionalAuth().authFailurePenalty(AuthFailurePenalty.none()).build().start();
    }

    static ScanFilter.Builder filter(Rspamd rspamd, Clamd clamd) {
        return ScanFilter.builder().hostName("mx.local.test")
                .scanner(rspamd.client().build())
                .scanner(ClamdClient.builder(clamd.unixAddress()).build(), ScanOptions.defaults().maxMessageSize(20_000));
    }

    /** The first value of a field, unfolded (a folded line break and the tab after it read as one space). */
    static String header(ReceivedMessage m, String name) {
        String v = m.source().headers().getHeader(name, null);
        return v == null ? null : v.replace("\r\n\t", " ").replace("\r\n ", " ");
    }

    @Test
    void spamAndVirusesAreRefusedBeforeTheyAreStored(Rspamd rspamd, Clamd clamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        ScanFilter filter = filter(rspamd, clamd).build();
        try (SmtpServer smtp = server(sink, filter)) {
            String gtube = Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.gtube());
            assertThat(gtube).startsWith("550 5.7.1");
            String eicar = Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"), Messages.eicar());
            assertThat(eicar).startsWith("554 5.7.1 Virus found: Mailkit.Test.EICAR");
            assertThat(sink.messages()).isEmpty();
        }
        assertThat(filter.milterSessions()).isZero();
    }

    @Test
    void aCleanMessageArrivesWithTheScannersHeadersAndWithoutForgedOnes(Rspamd rspamd, Clamd clamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = server(sink, filter(rspamd, clamd).build())) {
            String forged = "X-Spam-Flag: NO\r\nX-Spam-Score: -100\r\nX-Scan-Results: mx.local.test; clamd=clean\r\n"
                    + Messages.clean().asString();
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                    dev.mailkit.core.MessageSource.ofText(forged))).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            String text = m.source().asString();
            assertThat(m.source().headers().getHeader("X-Spam-Flag")).hasSize(1);
            assertThat(m.source().headers().getHeader("X-Spam-Score")).hasSize(1).doesNotContain("-100");
            assertThat(header(m, "X-Spam-Status")).startsWith("No, score=").contains("required=15",
                    "scanner=rspamd");
            assertThat(m.source().headers().getHeader("X-Scan-Results")).hasSize(1);
            assertThat(header(m, "X-Scan-Results")).isEqualTo(
                    "mx.local.test; rspamd=clean (score=" + header(m, "X-Spam-Score") + " required=15); clamd=clean");
            assertThat(text).contains("Shall we meet at noon");
        }
    }

    @Test
    void aMessageOverAScannersLimitSkipsItAndSpamThatIsOnlyTaggedArrivesMarked(Rspamd rspamd, Clamd clamd)
            throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = server(sink, filter(rspamd, clamd).build())) {
            String big = ("word ".repeat(15) + "\r\n").repeat(400);
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                    Messages.text("please tag-me", big))).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(header(m, "X-Scan-Results")).contains("rspamd=spam (score=").endsWith(
                    "; clamd=skipped (larger than 20000 bytes)");
            assertThat(header(m, "X-Spam-Flag")).isEqualTo("YES");
            assertThat(header(m, "X-Spam-Status")).startsWith("Yes, score=").contains("MK_TAGME");
            assertThat(header(m, "X-Spamd-Bar")).as("Rspamd's milter.add_headers").isNotNull();
            assertThat(header(m, "X-Spam-Level")).as("ours, not Rspamd's").matches("\\*+");
            assertThat(m.source().headers().getHeader("X-Spam-Level")).hasSize(1);
        }
    }

    @Test
    void rspamdRewritesTheSubjectItAsksFor(Rspamd rspamd, Clamd clamd) throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer smtp = server(sink, filter(rspamd, clamd).build())) {
            assertThat(Smtp.send(smtp.port(), "sender@example.test", List.of("rcpt@local.test"),
                    Messages.text("please rewrite-me", "hello"))).startsWith("250");
            ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
            assertThat(m.source().headers().getHeader("Subject")).containsExactly("*** SPAM *** please rewrite-me");
            assertThat(m.source().asString()).endsWith("\r\n\r\nhello\r\n");
        }
    }

    @Test
    void authenticatedSubmissionsAreScannedOnlyWhenAskedTo(Rspamd rspamd, Clamd clamd) throws Exception {
        for (boolean outbound : new boolean[] {false, true}) {
            InMemorySink sink = new InMemorySink();
            try (SmtpServer smtp = server(sink, filter(rspamd, clamd).scanOutbound(outbound).build())) {
                assertThat(Smtp.send(smtp.port(), "alice@local.test", List.of("rcpt@local.test"), Messages.clean(),
                        "alice@local.test", "pw")).startsWith("250");
                ReceivedMessage m = sink.poll(Duration.ofSeconds(10)).orElseThrow();
                if (outbound) {
                    assertThat(header(m, "X-Spam-Status")).contains("MK_USER");
                    assertThat(header(m, "X-Scan-Results")).contains("clamd=clean");
                } else {
                    assertThat(header(m, "X-Scan-Results")).isNull();
                    assertThat(header(m, "X-Spam-Status")).isNull();
                }
            }
        }
    }
}
