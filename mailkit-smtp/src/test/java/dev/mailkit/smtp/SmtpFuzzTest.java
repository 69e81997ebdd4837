package dev.mailkit.smtp;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import dev.mailkit.testsupport.ProtocolFuzzer;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random command lines (SMTP words mixed with brackets, NUL, bare CR/LF, long tokens, UTF-8), with and without
 * a greeting exchange: the server never drops a connection without saying so (221, 421, or a 5xx "closing
 * connection" after a bare CR/LF or an overlong line, mailkit's defence against smuggling), every message it accepts has exactly
 * the envelope and CRLF-only content SMTP allows (no bare CR or LF smuggled in), no session stays open, and a
 * well-behaved client is served normally afterwards.
 */
class SmtpFuzzTest {
    static final List<String> WORDS = List.of("EHLO", "HELO", "MAIL FROM:", "RCPT TO:", "DATA", "BDAT", "RSET",
            "NOOP", "QUIT", "HELP", "VRFY", "EXPN", "STARTTLS", "AUTH", "PLAIN", "LOGIN", "<bob@local.test>",
            "<a@remote.test>", "<>", "client.test", "SIZE=100", "BODY=8BITMIME", "SMTPUTF8", ".", "LAST", "10", "0",
            "Subject: x", "..", "<postmaster>", "<\"q\"@local.test>");

    @Test
    void randomCommandsNeverBreakTheServer() throws Exception {
        InMemorySink sink = new InMemorySink();
        List<String> problems = new ArrayList<>();
        try (SmtpServer s = SmtpTesting.mx(sink).build().start()) {
            for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 60); seed++) {
                ProtocolFuzzer f = new ProtocolFuzzer(seed, WORDS);
                List<String> preamble = seed % 2 == 0 ? List.of()
                        : List.of("EHLO client.test", "MAIL FROM:<a@remote.test>", "RCPT TO:<bob@local.test>");
                ProtocolFuzzer.Session session = f.session(s.port(), preamble, 25, i -> "", "QUIT",
                        l -> l.startsWith("221 ") || l.startsWith("421 ") || l.endsWith("closing connection"),
                        Duration.ofSeconds(2));
                if (session.droppedWithoutGoodbye) {
                    problems.add("seed " + seed + ": connection dropped after " + session.received);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (s.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(s.connectionCount()).as("sessions left open").isZero();
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.command("Subject: after the fuzz\r\n\r\nok\r\n.")).startsWith("250");
            }
        }
        for (ReceivedMessage m : sink.messages()) {
            assertThat(m.envelope().recipients()).isNotEmpty();
            String raw = m.source().asString();
            assertThat(raw.replace("\r\n", "")).as("no bare CR or LF in accepted content").doesNotContain("\r")
                    .doesNotContain("\n");
        }
        assertThat(problems).isEmpty();
    }
}
