package dev.mailkit.imap.internal.protocol;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** IMAP's refusals for local write failures; the disk-full path end to end is OutOfDiskTest (mailkit-examples). */
class StorageRefusalTest {
    @Test
    void aFullDiskIsOverQuotaAsDovecotSaysIt() {
        ParseException e = StorageRefusal.of(new IOException("No space left on device"));
        assertThat(e.kind()).isEqualTo(ParseException.Kind.NO);
        assertThat(e.code()).isEqualTo("OVERQUOTA");
        assertThat(e.getMessage()).isEqualTo("Not enough disk space");
    }

    @Test
    void aReadOnlyFileSystemAndOtherFailuresAreNeverServerBugs() {
        ParseException ro = StorageRefusal.of(new FileSystemException("/data/x", null, "Read-only file system"));
        assertThat(ro.code()).isEqualTo("UNAVAILABLE");
        assertThat(ro.getMessage()).isEqualTo("Mailbox storage is read-only, try again later");
        assertThat(StorageRefusal.of(new IOException("Input/output error")).code()).isEqualTo("UNAVAILABLE");
        assertThat(StorageRefusal.isStorageCondition(new IOException("Broken pipe"))).isFalse();
    }
}
