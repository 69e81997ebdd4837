package dev.mailkit.smtp.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply for local write failures; the disk-full path end to end is OutOfDiskTest (mailkit-examples, as root). */
class StorageFailureTest {
    @Test
    void aFullOrReadOnlyFileSystemIsInsufficientStorage() {
        assertThat(StorageFailure.reply(new IOException("No space left on device")).toString())
                .isEqualTo("452 4.3.1 Insufficient system storage");
        assertThat(StorageFailure.reply(new FileSystemException("/data/x", null, "Read-only file system")).toString())
                .isEqualTo("452 4.3.1 Insufficient system storage");
        assertThat(StorageFailure.reply(new UncheckedIOException(new IOException("Disk quota exceeded"))).toString())
                .isEqualTo("452 4.3.1 Insufficient system storage");
    }

    @Test
    void otherFailuresAreATemporaryLocalProblem() {
        assertThat(StorageFailure.reply(new IOException("Input/output error")).toString())
                .isEqualTo("451 4.3.0 Temporary failure storing the message, try again later");
        assertThat(StorageFailure.isOutOfStorage(new IOException((String) null))).isFalse();
    }
}
