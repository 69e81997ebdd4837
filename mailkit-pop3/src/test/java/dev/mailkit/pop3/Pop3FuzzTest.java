package dev.mailkit.pop3;

import dev.mailkit.testsupport.ProtocolFuzzer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded random command lines (POP3 words mixed with hostile pieces), before and after login: the server answers
 * QUIT as usual or says why it closes (-ERR), leaves no session open, keeps the maildrop intact (nothing deleted
 * without a successful QUIT of a DELE) and serves a well-behaved client normally afterwards.
 */
class Pop3FuzzTest {
    static final List<String> WORDS = List.of("USER", "PASS", "APOP", "AUTH", "STLS", "CAPA", "STAT", "LIST",
            "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "QUIT", "PLAIN", "1", "2", "0", "-1", "99", "ann@local.test",
            "secret", "*");

    @Test
    void randomCommandsNeverBreakTheServer() throws Exception {
        try (Pop3Fixture fx = new Pop3Fixture()) {
            for (int i = 1; i <= 3; i++) {
                fx.deliver(Pop3Fixture.ANN, Pop3Fixture.message(i));
            }
            Pop3Server server = fx.start();
            List<String> problems = new ArrayList<>();
            for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 60); seed++) {
                ProtocolFuzzer f = new ProtocolFuzzer(seed, WORDS);
                List<String> preamble = seed % 2 == 0 ? List.of()
                        : List.of("USER " + Pop3Fixture.ANN, "PASS secret");
                ProtocolFuzzer.Session s = f.session(server.port(), preamble, 25, i -> "", "QUIT",
                        l -> l.startsWith("+OK") || l.startsWith("-ERR"), Duration.ofSeconds(2));
                if (s.droppedWithoutGoodbye) {
                    problems.add("seed " + seed + ": connection dropped after " + s.received);
                }
                if (s.received.isEmpty() || !s.received.get(0).startsWith("+OK")) {
                    problems.add("seed " + seed + ": no greeting");
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(server.connectionCount()).as("sessions left open").isZero();
            try (Pop3Client c = Pop3Client.connect(server.port())) {
                assertThat(c.login(Pop3Fixture.ANN, "secret")).startsWith("+OK");
                assertThat(c.cmd("STAT")).startsWith("+OK");
            }
            assertThat(problems).isEmpty();
        }
    }
}
