package dev.mailkit.pop3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

/** Every RFC 1939 command over a real socket, byte for byte. */
class Rfc1939Test {
    private Pop3Fixture fx;
    private Pop3Server server;

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
        server = fx.start();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void greetingLoginStatListUidlAndQuit() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        fx.deliver(ANN, Pop3Fixture.message(2));
        long size1 = Pop3Fixture.message(1).length();
        long size2 = Pop3Fixture.message(2).length();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.greeting).isEqualTo("+OK mailkit POP3 server ready");
            assertThat(c.cmd("USER " + ANN)).startsWith("+OK");
            assertThat(c.cmd("PASS secret")).isEqualTo("+OK Logged in, 2 messages (" + (size1 + size2) + " octets)");
            assertThat(c.cmd("STAT")).isEqualTo("+OK 2 " + (size1 + size2));
            assertThat(c.cmd("LIST")).startsWith("+OK 2 messages");
            assertThat(c.multiline()).containsExactly("1 " + size1, "2 " + size2);
            assertThat(c.cmd("LIST 2")).isEqualTo("+OK 2 " + size2);
            assertThat(c.cmd("LIST 3")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            List<String> uidl = c.multiline();
            assertThat(uidl).hasSize(2);
            assertThat(uidl.get(0)).matches("1 [0-9a-f]{16}");
            assertThat(c.cmd("UIDL 2")).isEqualTo("+OK " + uidl.get(1));
            assertThat(c.cmd("NOOP")).isEqualTo("+OK");
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 0 messages deleted");
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(fx.count(ANN)).isEqualTo(2);
    }

    @Test
    void retrSendsTheExactBytesWithByteStuffing() throws Exception {
        String text = "Subject: dots\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nmiddle . dot\r\n.";
        fx.deliver(ANN, text);
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("RETR 1")).isEqualTo("+OK " + text.length() + " octets");
            byte[] raw = c.rawMultiline();
            assertThat(new String(raw, StandardCharsets.ISO_8859_1)).isEqualTo(
                    "Subject: dots\r\n\r\n..starts with a dot\r\n...two dots\r\n..\r\nmiddle . dot\r\n..\r\n.\r\n");
            assertThat(c.cmd("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void aMessageCannotEndItsResponseEarlyOrInjectReplies() throws Exception {
        String text = "Subject: smuggle\r\n\r\nbefore\r\n.\r\n+OK 0 0\r\n.\n+OK fake\n.\r+OK cr\r\nafter\r\n";
        fx.deliver(ANN, dev.mailkit.core.MessageSource.of(text.getBytes(StandardCharsets.US_ASCII)));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.send("RETR 1\r\nSTAT\r\n");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("Subject: smuggle", "", "before", ".", "+OK 0 0", ".",
                    "+OK fake", ".\r+OK cr", "after");
            assertThat(c.readLine()).isEqualTo("+OK 1 " + text.length());
        }
    }

    @Test
    void retrOfAMessageWithoutFinalLineEndAddsOne() throws Exception {
        fx.deliver(ANN, dev.mailkit.core.MessageSource.of("Subject: x\r\n\r\nno line end".getBytes(StandardCharsets.US_ASCII)));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.cmd("RETR 1");
            assertThat(new String(c.rawMultiline(), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: x\r\n\r\nno line end\r\n.\r\n");
        }
    }

    @Test
    void topSendsHeaderBlankLineAndNBodyLines() throws Exception {
        fx.deliver(ANN, "Subject: top\r\nX-A: b\r\n\r\nline 1\r\n.line 2\r\nline 3\r\n");
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("TOP 1 0")).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("Subject: top", "X-A: b", "");
            assertThat(c.cmd("TOP 1 2")).startsWith("+OK");
            assertThat(new String(c.rawMultiline(), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: top\r\nX-A: b\r\n\r\nline 1\r\n..line 2\r\n.\r\n");
            assertThat(c.cmd("TOP 1 99999999999999999999999")).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("Subject: top", "X-A: b", "", "line 1", ".line 2", "line 3");
            assertThat(c.cmd("TOP 2 1")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("TOP 1")).startsWith("-ERR Syntax");
            assertThat(c.cmd("TOP 1 -1")).startsWith("-ERR Invalid number of lines");
        }
    }

    @Test
    void deleMarksAndQuitExpunges() throws Exception {
        long u1 = fx.deliver(ANN, Pop3Fixture.message(1));
        long u2 = fx.deliver(ANN, Pop3Fixture.message(2));
        long u3 = fx.deliver(ANN, Pop3Fixture.message(3));
        long size2 = Pop3Fixture.message(2).length();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("DELE 1")).isEqualTo("+OK Message 1 deleted");
            assertThat(c.cmd("DELE 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("RETR 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("LIST 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("UIDL 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("DELE 3")).startsWith("+OK");
            assertThat(c.cmd("STAT")).isEqualTo("+OK 1 " + size2);
            assertThat(c.cmd("LIST")).isEqualTo("+OK 1 messages (" + size2 + " octets)");
            assertThat(c.multiline()).containsExactly("2 " + size2); // numbers do not change
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            assertThat(c.multiline()).hasSize(1).allMatch(l -> l.startsWith("2 "));
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 2 messages deleted");
        }
        try (var box = fx.inbox(ANN)) {
            assertThat(box.message(u1)).isEmpty();
            assertThat(box.message(u2)).isPresent();
            assertThat(box.message(u3)).isEmpty();
        }
    }

    @Test
    void rsetUnmarksEverything() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        fx.deliver(ANN, Pop3Fixture.message(2));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 1");
            c.cmd("DELE 2");
            assertThat(c.cmd("STAT")).startsWith("+OK 0 0");
            assertThat(c.cmd("RSET")).startsWith("+OK Maildrop has 2 messages");
            assertThat(c.cmd("STAT")).startsWith("+OK 2 ");
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 0 messages deleted");
        }
        assertThat(fx.count(ANN)).isEqualTo(2);
    }

    @Test
    void emptyMaildrop() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.login(ANN, "secret")).isEqualTo("+OK Logged in, 0 messages (0 octets)");
            assertThat(c.cmd("STAT")).isEqualTo("+OK 0 0");
            assertThat(c.cmd("LIST")).isEqualTo("+OK 0 messages (0 octets)");
            assertThat(c.multiline()).isEmpty();
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            assertThat(c.multiline()).isEmpty();
            assertThat(c.cmd("RETR 1")).isEqualTo("-ERR No such message");
        }
    }

    @Test
    void commandsAreCaseInsensitiveAndPipelined() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.send("user " + ANN + "\r\npass secret\r\nstat\r\nlist 1\r\nretr 1\r\nnoop\r\nquit\r\n");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readLine()).startsWith("+OK Logged in");
            assertThat(c.readLine()).startsWith("+OK 1 ");
            assertThat(c.readLine()).startsWith("+OK 1 ");
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(new String(Pop3Client.unstuff(c.rawMultiline()), StandardCharsets.US_ASCII))
                    .isEqualTo(Pop3Fixture.message(1));
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).startsWith("+OK Logging out");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void bareLfCommandsAreAccepted() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.send("USER " + ANN + "\n");
            assertThat(c.readLine()).startsWith("+OK");
            c.send("PASS secret\n");
            assertThat(c.readLine()).startsWith("+OK Logged in");
        }
    }

    @Test
    void passwordMayContainSpaces() throws Exception {
        fx.users.addUser("carol@local.test", "correct horse battery staple");
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.login("carol@local.test", "correct horse battery staple")).startsWith("+OK Logged in");
        }
    }

    @Test
    void commandsOutOfState() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            for (String cmd : List.of("STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 1", "UIDL")) {
                assertThat(c.cmd(cmd)).as(cmd).isEqualTo("-ERR Log in first");
            }
            assertThat(c.cmd("PASS secret")).isEqualTo("-ERR Send USER first");
        }
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            for (String cmd : List.of("USER x", "PASS y", "AUTH PLAIN", "STLS")) {
                assertThat(c.cmd(cmd)).as(cmd).isEqualTo("-ERR Command not valid in this state");
            }
        }
    }

    @Test
    void syntaxErrors() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("RETR")).isEqualTo("-ERR Syntax: RETR msg");
            assertThat(c.cmd("RETR 1 2")).isEqualTo("-ERR Syntax: RETR msg");
            assertThat(c.cmd("RETR one")).isEqualTo("-ERR Invalid message number: digits expected");
            assertThat(c.cmd("RETR 0")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("RETR +1")).isEqualTo("-ERR Invalid message number: digits expected");
            assertThat(c.cmd("RETR 99999999999999999999999999")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("STAT now")).isEqualTo("-ERR Syntax: STAT takes no arguments");
            assertThat(c.cmd("XYZZY")).isEqualTo("-ERR Unknown command");
            assertThat(c.cmd("")).isEqualTo("-ERR Unknown command");
            assertThat(c.cmd("RETR 01")).startsWith("+OK");
            c.rawMultiline();
        }
    }

    @Test
    void quitBeforeLogin() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Bye");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void capaListsTheExtensionsPerState() throws Exception {
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                    "UTF8 USER", "USER", "SASL PLAIN LOGIN", "IMPLEMENTATION mailkit");
            assertThat(c.cmd("UTF8")).as("RFC 6856").startsWith("+OK");
            assertThat(c.cmd("UTF8 now")).startsWith("-ERR");
            c.login(ANN, "secret");
            assertThat(c.cmd("utf8")).as("only before login").startsWith("-ERR");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.multiline()).containsExactly("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING",
                    "IMPLEMENTATION mailkit");
        }
    }
}
