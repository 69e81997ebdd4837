package dev.mailkit.pop3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input classes of ../shared/notes/security.md that apply to POP3, each sent as bytes over a real socket:
 * oversize and slow input, control characters, parser abuse, path traversal through user names, connection floods.
 * (STLS injection and fixation: {@link TlsAndSaslTest}; credential guessing: {@link GuessingTest}.)
 */
class HostileInputTest {
    private Pop3Fixture fx;
    private Pop3Server server;

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
        server = fx.start(b -> b.maxBadCommands(50));
        fx.deliver(ANN, Pop3Fixture.message(1));
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void overlongLinesAreRefusedAndTheSessionGoesOn() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("USER " + "a".repeat(1019))).startsWith("+OK"); // 1024 octets: the limit
        }
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("USER " + "a".repeat(2000))).isEqualTo("-ERR Command line too long");
            byte[] huge = new byte[8 * 1024 * 1024];
            Arrays.fill(huge, (byte) 'x');
            c.sendBytes(huge).send("\r\n");
            assertThat(c.readLine()).isEqualTo("-ERR Command line too long");
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void aClientThatNeverEndsItsLineIsDisconnectedByTheLoginTimeout() throws Exception {
        Pop3Server quick = fx.start(b -> b.loginTimeout(Duration.ofMillis(300)));
        try (Pop3Client c = Pop3Client.connect(quick.port())) {
            c.send("USER ann@local.te"); // and then nothing
            assertThat(c.readLine()).isEqualTo("-ERR Autologout: idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aClientSilentInsideAnAuthExchangeIsDisconnected() throws Exception {
        Pop3Server quick = fx.start(b -> b.loginTimeout(Duration.ofMillis(300)));
        try (Pop3Client c = Pop3Client.connect(quick.port())) {
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.readLine()).isEqualTo("-ERR Autologout: idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void theSessionDeadlineEndsEvenABusySession() throws Exception {
        Pop3Server quick = fx.start(b -> b.sessionTimeout(Duration.ofMillis(500)));
        try (Pop3Client c = Pop3Client.connect(quick.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 1");
            Await.until("the session deadline", Duration.ofSeconds(10), () -> {
                try {
                    String r = c.cmd("NOOP");
                    return r == null;
                } catch (java.io.IOException e) {
                    return true;
                }
            });
        }
        Await.until("the maildrop to be released", Duration.ofSeconds(10), () -> quick.connectionCount() == 0);
        assertThat(fx.count(ANN)).isEqualTo(1);
    }

    @Test
    void controlCharactersAndInvalidUtf8AreRefused() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("USER ann\0@local.test")).isEqualTo("-ERR Control characters are not allowed in commands");
            assertThat(c.cmd("USER ann@local.test\rPASS secret")).isEqualTo(
                    "-ERR Control characters are not allowed in commands");
            assertThat(c.cmd("USER \t" + ANN)).isEqualTo("-ERR Control characters are not allowed in commands");
            assertThat(c.cmd("USER \u00ff\u00fe")).isEqualTo("-ERR Commands must be ASCII or UTF-8");
            assertThat(c.cmd("\u0000\u0000\u0000\u0000")).isEqualTo("-ERR Control characters are not allowed in commands");
            assertThat(c.cmd("PASS secret")).isEqualTo("-ERR Send USER first");
            // a line with NUL inside PASS must not log in either
            c.cmd("USER " + ANN);
            assertThat(c.cmd("PASS secret\0")).isEqualTo("-ERR Control characters are not allowed in commands");
        }
    }

    @Test
    void repliesNeverEchoTheClientsInput() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("EVIL <script>")).isEqualTo("-ERR Unknown command");
            assertThat(c.cmd("LIST x-injected")).startsWith("-ERR").doesNotContain("injected");
            c.login(ANN, "secret");
            assertThat(c.cmd("LIST x-injected")).doesNotContain("injected");
            assertThat(c.cmd("TOP 1 x-injected")).doesNotContain("injected");
        }
    }

    @Test
    void tooManyBadCommandsCloseTheConnection() throws Exception {
        Pop3Server strict = fx.start();
        try (Pop3Client c = Pop3Client.connect(strict.port())) {
            for (int i = 1; i < 10; i++) {
                assertThat(c.cmd("BAD" + (char) ('A' + i))).isEqualTo("-ERR Unknown command");
            }
            assertThat(c.cmd("BADZ")).isEqualTo("-ERR Too many bad commands, closing the connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void pathTraversalThroughUserNamesGetsNowhere() throws Exception {
        for (String name : new String[]{"../../etc/passwd", "..", "/etc/shadow", "ann@local.test/../bob",
                "ann@local.test\\..\\bob", "ann@\u2024\u2024", "ann%bob@local.test", "ann@local.test."}) {
            try (Pop3Client c = Pop3Client.connect(server.port())) {
                c.sendBytes(("USER " + name + "\r\n").getBytes(StandardCharsets.UTF_8));
                assertThat(c.readLine()).startsWith("+OK");
                assertThat(c.cmd("PASS secret")).as(name).isEqualTo("-ERR [AUTH] Authentication failed");
            }
        }
    }

    @Test
    void aUserWhoseAddressCannotOwnAMailboxIsRefusedCleanly() throws Exception {
        fx.users.addUser("odd", "\"a/../b\"@local.test", "pw");
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.login("odd", "pw")).isEqualTo("-ERR [SYS/PERM] This user has no mailbox that can be served");
            assertThat(c.cmd("STAT")).isEqualTo("-ERR Log in first");
        }
        assertThat(((dev.mailkit.store.memory.MemoryMailStore) fx.store).accounts()).noneMatch(a -> a.localPart().contains("/"));
    }

    @Test
    void oversizedSaslResponses() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.cmd("A".repeat(100_000))).isEqualTo("-ERR SASL response too long");
            assertThat(c.cmd("AUTH PLAIN " + "A".repeat(5000))).isEqualTo("-ERR Command line too long");
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
        }
    }

    @Test
    void connectionFloodsAreCappedPerAddress() throws Exception {
        Pop3Server capped = fx.start(b -> b.maxConnectionsPerAddress(2));
        try (Pop3Client a = Pop3Client.connect(capped.port()); Pop3Client b = Pop3Client.connect(capped.port());
             Pop3Client refused = Pop3Client.connect(capped.port())) {
            assertThat(a.greeting).startsWith("+OK");
            assertThat(b.greeting).startsWith("+OK");
            assertThat(refused.greeting).isEqualTo("-ERR [SYS/TEMP] Too many connections, try again later");
            assertThat(refused.isClosedByServer()).isTrue();
        }
    }

    @Test
    void aClientThatStopsReadingCannotHoldTheServerAtClose() throws Exception {
        fx.deliver(ANN, dev.mailkit.core.MessageSource.of(new byte[4 * 1024 * 1024]));
        Pop3Server s = fx.start();
        Pop3Client c = Pop3Client.connect(s.port());
        c.login(ANN, "secret");
        c.send("RETR 2\r\nRETR 2\r\nRETR 2\r\n"); // and never read: the server blocks writing
        long t = System.nanoTime();
        s.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(3));
        c.close();
    }
}
