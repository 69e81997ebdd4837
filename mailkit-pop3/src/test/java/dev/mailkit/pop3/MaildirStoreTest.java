package dev.mailkit.pop3;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POP3 over the durable Maildir store: UIDLs that survive restarts of the store and the server, deletions that reach
 * the disk only at QUIT, files dropped into {@code new/} by other programs, and big messages streamed from their
 * files.
 */
class MaildirStoreTest {
    @TempDir
    Path data;
    private Pop3Fixture fx;

    private Pop3Fixture open() {
        fx = new Pop3Fixture(MaildirMailStore.builder(data).fsync(false).build());
        return fx;
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private Path inboxDir() {
        return data.resolve("local.test").resolve("ann");
    }

    private long files() throws IOException {
        long n = 0;
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> s = Files.list(inboxDir().resolve(sub))) {
                n += s.count();
            }
        }
        return n;
    }

    private static List<String> uidls(Pop3Server s) throws IOException {
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            List<String> l = c.multiline();
            c.cmd("QUIT");
            return l.stream().map(x -> x.substring(x.indexOf(' ') + 1)).toList();
        }
    }

    @Test
    void uidlsSurviveRestartsAndDeletionsReachTheDiskOnlyAtQuit() throws Exception {
        Pop3Fixture f = open();
        for (int i = 1; i <= 3; i++) {
            f.deliver(ANN, Pop3Fixture.message(i));
        }
        Pop3Server s = f.start();
        List<String> before = uidls(s);
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 2");
            assertThat(files()).isEqualTo(3);
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 1 messages deleted");
        }
        assertThat(files()).isEqualTo(2);
        f.close();

        Pop3Fixture again = open();
        again.deliver(ANN, Pop3Fixture.message(4));
        List<String> after = uidls(again.start());
        assertThat(after).hasSize(3);
        assertThat(after.subList(0, 2)).containsExactly(before.get(0), before.get(2));
        assertThat(after.get(2)).isNotIn(before);
    }

    @Test
    void aDroppedConnectionLeavesEveryFile() throws Exception {
        Pop3Fixture f = open();
        f.deliver(ANN, Pop3Fixture.message(1));
        f.deliver(ANN, Pop3Fixture.message(2));
        Pop3Server s = f.start();
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 1");
            c.cmd("DELE 2");
        }
        Await.until("the session to end", Duration.ofSeconds(10), () -> s.connectionCount() == 0);
        assertThat(files()).isEqualTo(2);
        assertThat(uidls(s)).hasSize(2);
    }

    @Test
    void aFileDroppedIntoNewDuringASessionWaitsForTheNextOne() throws Exception {
        Pop3Fixture f = open();
        f.deliver(ANN, Pop3Fixture.message(1));
        Pop3Server s = f.start();
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            c.login(ANN, "secret");
            // another program (Postfix's local delivery, say) writes a message with LF line ends
            Files.writeString(inboxDir().resolve("new").resolve("1800000000.M1P1.postfix"),
                    "Subject: from postfix\n\n.dot line\n", StandardCharsets.US_ASCII);
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
            c.cmd("QUIT");
        }
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in, 2 messages");
            String expected = "Subject: from postfix\r\n\r\n.dot line\r\n";
            assertThat(c.cmd("LIST 2")).isEqualTo("+OK 2 " + expected.length());
            assertThat(c.cmd("RETR 2")).isEqualTo("+OK " + expected.length() + " octets");
            assertThat(new String(c.rawMultiline(), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: from postfix\r\n\r\n..dot line\r\n.\r\n");
        }
    }

    @Test
    void aBigMessageStreamsFromItsFile() throws Exception {
        Pop3Fixture f = open();
        Path big = data.resolve("big.eml");
        byte[] line = "0123456789 abcdefghijklmnopqrstuvwxyz .0123456789 abcdefghijklmnopqrstuvwxyz\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        long lines = 16L * 1024 * 1024 / line.length;
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] head = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            out.write(head);
            expected.update(head);
            for (long i = 0; i < lines; i++) {
                out.write(line);
                expected.update(line);
            }
        }
        long size = Files.size(big);
        try (MessageSource m = MessageSource.ofFile(big)) {
            f.deliver(ANN, m);
        }
        Files.delete(big);
        Pop3Server s = f.start();
        try (Pop3Client c = Pop3Client.connect(s.port(), Duration.ofSeconds(60))) {
            c.login(ANN, "secret");
            assertThat(c.cmd("RETR 1")).isEqualTo("+OK " + size + " octets");
            // un-stuff while hashing, without keeping the message
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long received = c.readMultilineInto(got);
            assertThat(received).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(got.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));
            assertThat(c.cmd("NOOP")).isEqualTo("+OK");
        }
    }
}
