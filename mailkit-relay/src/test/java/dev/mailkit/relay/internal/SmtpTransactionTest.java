package dev.mailkit.relay.internal;

import dev.mailkit.relay.RelayTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.mailkit.relay.internal.ClientFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Mail transactions of {@link SmtpConnection} against a scripted server on loopback: pipelining, per-recipient
 * outcomes, the reply to DATA and to the end of data, the bytes of the content, multi-line replies, a hostile server
 * (garbage, huge lines, CR and LF where they do not belong, content asked for without recipients), lost connections
 * and timeouts.
 */
class SmtpTransactionTest {
    @TempDir
    Path dir;

    ClientFixture client;

    @BeforeEach
    void setUp() throws IOException {
        client = new ClientFixture(dir);
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    static final String MESSAGE = "Subject: hi\r\n\r\nbody\r\n";

    /** Sends the message over a fresh connection to the server (opportunistic TLS, 5 s timeouts), then QUIT. */
    List<Outcome> send(ScriptedServer server, StoredMessage m) throws Exception {
        SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
        try {
            return conn.send(m, m.recipients, client.store);
        } finally {
            conn.quit();
        }
    }

    @Test
    void pipeliningSendsMailRcptAndDataBeforeReadingAReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("PIPELINING");
            // nothing is answered until all four commands are read: a client that waited would time out here
            c.expect("MAIL FROM:<sender@origin.test>");
            c.expect("RCPT TO:<a@remote.test>");
            c.expect("RCPT TO:<b@remote.test>");
            c.expect("DATA");
            c.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n");
            c.readData();
            c.send("250 2.0.0 queued\r\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test", "b@remote.test");
            List<Outcome> out = send(server, m);
            assertThat(out).extracting(o -> o.kind).containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED);
            assertThat(out).extracting(o -> o.recipient.toString()).containsExactly("a@remote.test", "b@remote.test");
            server.awaitFinished(1);
        }
    }

    @Test
    void eachRecipientHasTheOutcomeOfItsOwnRcptReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("PIPELINING", "ENHANCEDSTATUSCODES");
            c.expect("MAIL");
            c.expect("RCPT");
            c.expect("RCPT");
            c.expect("RCPT");
            c.expect("DATA");
            c.send("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 <b@remote.test>: no such user\r\n"
                    + "452 4.2.2 <c@remote.test>: mailbox full\r\n354 go ahead\r\n");
            c.readData();
            c.send("250 2.0.0 queued\r\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test", "b@remote.test", "c@remote.test");
            List<Outcome> out = send(server, m);
            assertThat(out).extracting(o -> o.kind).containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.BOUNCED,
                    Outcome.Kind.DEFERRED);
            assertThat(out).extracting(o -> o.status).containsExactly("2.0.0", "5.1.1", "4.2.2");
            assertThat(out.get(1).detail).isEqualTo("host localhost[127.0.0.1]:" + server.port() + " said: 550 5.1.1 "
                    + "<b@remote.test>: no such user (in reply to RCPT TO command)");
            assertThat(out.get(1).replyLines()).containsExactly("550 5.1.1 <b@remote.test>: no such user");
            assertThat(out.get(2).remoteHost).isEqualTo("localhost");
            assertThat(out.get(2).remoteAddress.getPort()).isEqualTo(server.port());
            server.awaitFinished(1);
        }
    }

    @Test
    void whenEveryRecipientIsRefusedTheTransactionIsResetAndTheConnectionKept() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT TO:<a@remote.test>");
            c.send("550 5.1.1 no\r\n");
            c.expect("RCPT TO:<b@remote.test>");
            c.send("551 5.1.6 moved\r\n");
            c.expect("RSET");
            c.send("250 ok\r\n");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test", "b@remote.test");
            StoredMessage second = client.message(MESSAGE, "c@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            assertThat(conn.send(m, m.recipients, client.store)).extracting(o -> o.status)
                    .containsExactly("5.1.1", "5.1.6");
            assertThat(conn.isUsable(Duration.ofMinutes(1), 100)).isTrue();
            assertThat(conn.send(second, second.recipients, client.store)).extracting(o -> o.kind)
                    .containsExactly(Outcome.Kind.DELIVERED);
            assertThat(conn.transactions()).isEqualTo(2);
            assertThat(conn.isUsable(Duration.ofMinutes(1), 2)).isFalse(); // the most transactions a connection gets
            conn.quit();
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test",
                    "MAIL FROM:<sender@origin.test>", "RCPT TO:<a@remote.test>", "RCPT TO:<b@remote.test>", "RSET",
                    "MAIL FROM:<sender@origin.test>", "RCPT TO:<c@remote.test>", "DATA", "<data>", "QUIT");
        }
    }

    @Test
    void theReplyToTheEndOfDataDecidesForEveryAcceptedRecipient() throws Exception {
        for (String[] c : new String[][] {{"554 5.7.1 rejected as spam", "BOUNCED", "5.7.1"},
                {"451 4.3.0 try again later", "DEFERRED", "4.3.0"}, {"250 2.0.0 ok", "DELIVERED", "2.0.0"}}) {
            try (ScriptedServer server = new ScriptedServer(conv -> {
                conv.greet("PIPELINING");
                conv.expect("MAIL");
                conv.expect("RCPT");
                conv.expect("RCPT");
                conv.expect("DATA");
                conv.send("250 ok\r\n250 ok\r\n550 5.1.1 unknown\r\n354 go ahead\r\n");
                conv.readData();
                conv.send(c[0] + "\r\n");
                conv.awaitClose();
            })) {
                StoredMessage m = client.message(MESSAGE, "a@remote.test", "b@remote.test");
                List<Outcome> out = send(server, m);
                assertThat(out.get(0).kind).hasToString(c[1]);
                assertThat(out.get(0).status).isEqualTo(c[2]);
                assertThat(out.get(0).diagnostic()).isEqualTo(c[0]);
                if (!c[1].equals("DELIVERED")) {
                    assertThat(out.get(0).detail).endsWith("(in reply to end of DATA command)");
                }
                assertThat(out.get(1).status).isEqualTo("5.1.1"); // refused at RCPT, whatever came after
                server.awaitFinished(1);
            }
        }
    }

    @Test
    void aRefusedDataCommandIsTheOutcomeAndTheTransactionIsReset() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT");
            c.send("250 ok\r\n");
            c.expect("DATA");
            c.send("554 5.5.1 no valid recipients\r\n");
            c.expect("RSET");
            c.send("250 ok\r\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            List<Outcome> out = send(server, m);
            assertThat(out.get(0).kind).isEqualTo(Outcome.Kind.BOUNCED);
            assertThat(out.get(0).detail).endsWith("554 5.5.1 no valid recipients (in reply to DATA command)");
            assertThat(server.awaitFinished(1).get(0).received()).endsWith("DATA", "RSET", "QUIT");
        }
    }

    @Test
    void theContentGoesOutWithCrlfLineEndsAndDotStuffed() throws Exception {
        byte[][] data = new byte[1][];
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            data[0] = c.acceptMessage(1);
            c.awaitClose();
        })) {
            // bare LF and bare CR become CRLF when queued; dots at line starts are doubled on the wire
            StoredMessage m = client.message("Subject: dots\n\n.hidden\r\n..two\rlast line\n.", "a@remote.test");
            assertThat(send(server, m)).extracting(o -> o.kind).containsExactly(Outcome.Kind.DELIVERED);
            server.awaitFinished(1);
        }
        assertThat(new String(data[0], StandardCharsets.US_ASCII)).isEqualTo(
                "Subject: dots\r\n\r\n..hidden\r\n...two\r\nlast line\r\n..\r\n.\r\n");
    }

    @Test
    void mailParametersAreSentOnlyWhereOffered() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("DSN", "SMTPUTF8", "8BITMIME");
            c.acceptMessage(1);
            c.awaitClose();
        })) {
            StoredMessage m = client.message(Map.of("BODY", "8BITMIME", "SMTPUTF8", "", "RET", "HDRS", "ENVID", "abc"),
                    MESSAGE.getBytes(StandardCharsets.US_ASCII), "a@remote.test");
            List<Outcome> out = send(server, m);
            assertThat(out.get(0).kind).isEqualTo(Outcome.Kind.DELIVERED);
            assertThat(out.get(0).dsnPassedOn).isTrue(); // the server offers DSN: it reports from now on
            assertThat(server.awaitFinished(1).get(0).received()).containsSubsequence(
                    "MAIL FROM:<sender@origin.test> BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=abc",
                    "RCPT TO:<a@remote.test>");
        }
    }

    @Test
    void whatTheServerCannotTakeBouncesWithoutATransaction() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("SIZE 10");
            c.awaitClose();
        })) {
            StoredMessage big = client.message(MESSAGE, "a@remote.test");
            StoredMessage utf8 = client.message(Map.of("SMTPUTF8", ""), MESSAGE.getBytes(StandardCharsets.UTF_8),
                    "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            List<Outcome> tooBig = conn.send(big, big.recipients, client.store);
            List<Outcome> noUtf8 = conn.send(utf8, utf8.recipients, client.store);
            conn.quit();
            assertThat(tooBig.get(0).status).isEqualTo("5.3.4");
            assertThat(tooBig.get(0).detail).contains("message size " + big.contentLength + " exceeds size limit 10");
            assertThat(noUtf8.get(0).status).as("ASCII addresses: the header needs it").isEqualTo("5.6.9");
            assertThat(noUtf8.get(0).detail).contains("SMTPUTF8 is required (UTF-8 header fields), but was not offered");
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test", "QUIT");
        }
    }

    @Test
    void aMultiLineReplyIsOneReplyWithEveryLine() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT");
            c.send("550-5.1.1 first line\r\n550-5.1.1 second line\r\n550 5.1.1 third line\r\n");
            c.expect("RSET");
            c.send("250 ok\r\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            Outcome o = send(server, m).get(0);
            assertThat(o.replyLines()).containsExactly("550-5.1.1 first line", "550-5.1.1 second line",
                    "550 5.1.1 third line");
            assertThat(o.status).isEqualTo("5.1.1");
            assertThat(o.diagnostic()).isEqualTo("550 5.1.1 first line 5.1.1 second line 5.1.1 third line");
            server.awaitFinished(1);
        }
    }

    @Test
    void controlCharactersAndStrayCarriageReturnsInRepliesAreEscaped() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            // bare LF line ends are read as line ends; a CR inside a line is not one
            c.send("220 hostile.test\n");
            c.expect("EHLO");
            c.send("250 hostile.test\n");
            c.expect("MAIL");
            c.send("250 ok\n");
            c.expect("RCPT");
            c.send("550 5.1.1 no\rRCPT TO:<evil@x>\u0000\u001b[31m\r\n");
            c.expect("RSET");
            c.send("250 ok\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            Outcome o = send(server, m).get(0);
            assertThat(o.replyLines()).containsExactly("550 5.1.1 no\\x0DRCPT TO:<evil@x>\\x00\\x1B[31m");
            assertThat(o.detail).doesNotContain("\r", "\n", "\u0000");
            server.awaitFinished(1);
        }
    }

    @Test
    void garbageInsteadOfAReplyEndsTheSession() throws Exception {
        for (String[] c : new String[][] {{"hello there\r\n", "malformed reply from localhost[127.0.0.1]:"},
                {"220-first\r\n554 second\r\n", "inconsistent multi-line reply"},
                {"220-x\r\n".repeat(150) + "220 last\r\n", "has more than 100 lines"},
                {"220 " + "x".repeat(70 * 1024) + "\r\n", "longer than 64 KiB"},
                {"600 out of range\r\n", "malformed reply"}, {"22\r\n", "malformed reply"}}) {
            try (ScriptedServer server = new ScriptedServer(conv -> {
                try {
                    conv.send(c[0]);
                } catch (IOException e) {
                    return; // the client stopped reading the rubbish and closed
                }
                conv.awaitClose();
            })) {
                SessionFailure f = catchThrowableOfType(() -> client.open(server, settings(RelayTls.OPPORTUNISTIC)),
                        SessionFailure.class);
                assertThat(f).as(c[1]).isNotNull();
                assertThat(f.getMessage()).contains(c[1]);
                assertThat(f.status()).isEqualTo("4.4.2");
                server.awaitFinished(1);
            }
        }
    }

    @Test
    void aLongReplyLineIsCutAt4096Bytes() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT");
            c.send("550 5.1.1 " + "y".repeat(10_000) + "\r\n");
            c.expect("RSET");
            c.send("250 ok\r\n");
            c.awaitClose();
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            Outcome o = send(server, m).get(0);
            assertThat(o.replyLines().get(0)).hasSize(4096).startsWith("550 5.1.1 yyy");
            assertThat(o.kind).isEqualTo(Outcome.Kind.BOUNCED);
            server.awaitFinished(1);
        }
    }

    @Test
    void aServerThatAsksForContentWithoutRecipientsGetsNoneAndTheConnectionIsDropped() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet("PIPELINING");
            c.expect("MAIL");
            c.expect("RCPT");
            c.expect("DATA");
            c.send("250 ok\r\n550 5.1.1 unknown\r\n354 send it anyway\r\n");
            c.awaitClose(); // records whatever else the client sends
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            assertThat(conn.send(m, m.recipients, client.store)).extracting(o -> o.status).containsExactly("5.1.1");
            assertThat(conn.isUsable(Duration.ofMinutes(1), 100)).isFalse();
            conn.quit(); // closes without a word: the conversation is out of step
            assertThat(server.awaitFinished(1).get(0).received()).containsExactly("EHLO relay.test",
                    "MAIL FROM:<sender@origin.test>", "RCPT TO:<a@remote.test>", "DATA");
        }
    }

    @Test
    void aConnectionLostBeforeAnyReplyMayBeRepeatedElsewhere() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            // and closes without a reply, as a server that dropped an idle connection would
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC));
            List<Outcome> out = conn.send(m, m.recipients, client.store);
            assertThat(out.get(0).kind).isEqualTo(Outcome.Kind.DEFERRED);
            assertThat(out.get(0).status).isEqualTo("4.4.2");
            assertThat(out.get(0).detail).contains("lost connection with localhost[127.0.0.1]:" + server.port()
                    + " while sending MAIL FROM");
            assertThat(conn.lostBeforeReply()).isTrue();
            assertThat(conn.isUsable(Duration.ofMinutes(1), 100)).isFalse();
            conn.quit();
            server.awaitFinished(1);
        }
    }

    @Test
    void noReplyToTheEndOfDataTimesOutAndSaysTheMessageMayHaveArrived() throws Exception {
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT");
            c.send("250 ok\r\n");
            c.expect("DATA");
            c.send("354 go ahead\r\n");
            c.readData();
            c.awaitClose(); // and never answers
        })) {
            StoredMessage m = client.message(MESSAGE, "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC, Duration.ofSeconds(5),
                    Duration.ofMillis(500)));
            long t0 = System.nanoTime();
            Outcome o = conn.send(m, m.recipients, client.store).get(0);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            assertThat(o.kind).isEqualTo(Outcome.Kind.DEFERRED);
            assertThat(o.detail).isEqualTo("conversation with localhost[127.0.0.1]:" + server.port()
                    + " timed out while sending end of DATA (the message may have been delivered; it will be sent "
                    + "again)");
            conn.quit();
            server.awaitFinished(1);
        }
    }

    @Test
    void aServerThatStopsReadingIsCutOffByTheWatchdog() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer(c -> {
            c.greet();
            c.expect("MAIL");
            c.send("250 ok\r\n");
            c.expect("RCPT");
            c.send("250 ok\r\n");
            c.expect("DATA");
            c.send("354 go ahead\r\n");
            release.await(30, TimeUnit.SECONDS); // reads nothing more: the client's writes block
        })) {
            byte[] big = new byte[16 * 1024 * 1024];
            Arrays.fill(big, (byte) 'x');
            for (int i = 100; i < big.length; i += 100) {
                big[i - 1] = '\n';
            }
            StoredMessage m = client.message(Map.of(), big, "a@remote.test");
            SmtpConnection conn = client.open(server, settings(RelayTls.OPPORTUNISTIC, Duration.ofSeconds(5),
                    Duration.ofSeconds(1)));
            long t0 = System.nanoTime();
            Outcome o = conn.send(m, m.recipients, client.store).get(0);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
            assertThat(o.kind).isEqualTo(Outcome.Kind.DEFERRED);
            assertThat(o.detail).contains("timed out while sending end of DATA");
            conn.quit();
            release.countDown();
            server.awaitFinished(1);
        }
    }
}
