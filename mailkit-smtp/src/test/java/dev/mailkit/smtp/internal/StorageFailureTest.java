package dev.mailkit.smtp.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** The reply for local write failures; the disk-full path end to end is OutOfDiskTest (mailkit-examples, as root). */
class StorageFailureTest {
    @Test
    void aFullFileSystemIsInsufficientStorage() {
        assertThat(StorageFailure.reply(new IOException("No space left on device")).toString())
                .isEqualTo("452 4.3.1 Insufficient system storage");
        assertThat(StorageFailure.reply(new UncheckedIOException(new IOException("Disk quota exceeded"))).toString())
                .isEqualTo("452 4.3.1 Insufficient system storage");
    }

    @Test
    void aReadOnlyFileSystemSaysSo() {
        FileSystemException erofs = new FileSystemException("/data/x", null, "Read-only file system");
        assertThat(StorageFailure.reply(erofs).toString())
                .isEqualTo("451 4.3.0 Mail storage is read-only, try again later");
        assertThat(StorageFailure.reply(new UncheckedIOException(new IOException("/data/.spool/1: Read-only file system")))
                .toString()).isEqualTo("451 4.3.0 Mail storage is read-only, try again later");
        assertThat(StorageFailure.isOutOfStorage(erofs)).isTrue();
        assertThat(StorageFailure.isReadOnly(new IOException("No space left on device"))).isFalse();
    }

    @Test
    void otherFailuresAreATemporaryLocalProblem() {
        assertThat(StorageFailure.reply(new IOException("Input/output error")).toString())
                .isEqualTo("451 4.3.0 Temporary failure storing the message, try again later");
        assertThat(StorageFailure.isOutOfStorage(new IOException((String) null))).isFalse();
    }
}
