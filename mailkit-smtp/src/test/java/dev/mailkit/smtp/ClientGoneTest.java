package dev.mailkit.smtp;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that closes (FIN) or resets (RST) its connection in the middle of a message's content, as a client that
 * gave up waiting does (the soak's {@code WARN Exception during SMTP transaction} lines were these): nothing is
 * delivered, the spooled part is deleted, the session ends quietly (one INFO line, see {@code ClientGone}), and the
 * server goes on serving.
 */
class ClientGoneTest {
    @TempDir
    Path dir;

    @Test
    void aClientThatGoesAwayInTheMiddleOfTheContentLeavesNothingAndTheServerGoesOn() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).spool(MessageSpool.create(spoolDir, 0)).build().start()) {
            for (String how : new String[] {"DATA FIN", "DATA RST", "BDAT FIN", "BDAT RST"}) {
                RawClient c = new RawClient(s.port());
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<alice@local.test>")).startsWith("250");
                String half = "Subject: cut off\r\n\r\n" + ("x".repeat(76) + "\r\n").repeat(1000);
                if (how.startsWith("DATA")) {
                    assertThat(c.command("DATA")).startsWith("354");
                    c.send(half);
                } else {
                    c.send("BDAT 200000 LAST\r\n" + half);
                }
                waitForSpoolFile(spoolDir, how);
                if (how.endsWith("RST")) {
                    c.socket().setSoLinger(true, 0);
                }
                c.close();
                waitForEmptySpool(spoolDir, how);
            }
            try (RawClient c = new RawClient(s.port())) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<a@remote.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<alice@local.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                assertThat(c.command("Subject: whole\r\n\r\nbody\r\n.")).startsWith("250");
            }
            assertThat(SmtpTesting.await(sink, 1)).singleElement().satisfies(m ->
                    assertThat(m.source().asString()).contains("Subject: whole"));
        }
    }

    @Test
    void whatCountsAsAClientThatWentAway() {
        assertThat(dev.mailkit.smtp.internal.ClientGone.isClientGone(new java.io.EOFException("closed"))).isTrue();
        assertThat(dev.mailkit.smtp.internal.ClientGone.isClientGone(new java.net.SocketException("Connection reset")))
                .isTrue();
        assertThat(dev.mailkit.smtp.internal.ClientGone.isClientGone(new javax.net.ssl.SSLException("closed",
                new java.net.SocketException("Broken pipe")))).isTrue();
        assertThat(dev.mailkit.smtp.internal.ClientGone.isClientGone(new java.net.SocketTimeoutException("Read timed "
                + "out"))).as("a slow client is still there").isFalse();
        assertThat(dev.mailkit.smtp.internal.ClientGone.isClientGone(new IOException("No space left on device")))
                .isFalse();
    }

    private static void waitForSpoolFile(Path spool, String how) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count(spool) == 0) {
            assertThat(System.nanoTime()).as("%s: the content reached the spool", how).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void waitForEmptySpool(Path spool, String how) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (count(spool) > 0) {
            assertThat(System.nanoTime()).as("%s: the spooled part is deleted", how).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static long count(Path spool) throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.count();
        }
    }
}
