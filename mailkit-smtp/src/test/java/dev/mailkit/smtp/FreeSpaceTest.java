package dev.mailkit.smtp;

import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * minFreeSpace: on a file system without room, MAIL FROM gets {@code 452 4.3.1} before the client sends anything, and
 * nothing is stored; SIZE counts one and a half times. Measured against the real file system of a temporary
 * directory, with thresholds far from its actual free space.
 */
class FreeSpaceTest {
    @TempDir
    Path dir;

    @Test
    void aFullFileSystemRefusesNewTransactionsAtMailFrom() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).minFreeSpace(dir, Long.MAX_VALUE / 4).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<a@remote.test>")).isEqualTo("452 4.3.1 Insufficient system storage");
            assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("503"); // no transaction was started
            assertThat(c.command("NOOP")).startsWith("250"); // the session goes on
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void theAnnouncedSizeCountsOneAndAHalfTimes() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        long margin = 256L * 1024 * 1024;
        InMemorySink sink = new InMemorySink();
        try (SmtpServer s = SmtpTesting.mx(sink).maxMessageSize(4L * 1024 * 1024 * 1024)
                .minFreeSpace(dir, Math.max(0, usable - margin)).build().start();
             RawClient c = new RawClient(s.port())) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<a@remote.test> SIZE=" + 1024L * 1024 * 1024))
                    .as("1 GiB needs 1.5 GiB beyond the minimum").isEqualTo("452 4.3.1 Insufficient system storage");
            assertThat(c.command("MAIL FROM:<a@remote.test> SIZE=1000")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: fits\r\n\r\nhello\r\n.")).startsWith("250");
        }
        assertThat(SmtpTesting.await(sink, 1)).hasSize(1);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> SmtpServer.builder().minFreeSpace(dir, -1))
                .hasMessage("minFreeBytes must not be negative, was -1");
        assertThatThrownBy(() -> SmtpTesting.mx(new InMemorySink()).minFreeSpace(dir.resolve("missing"), 1).build())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot find the file system of "
                        + dir.resolve("missing"));
    }
}
