package dev.mailkit.smtp.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The free-space check before a mail transaction (as Postfix's {@code queue_minfree}): a new transaction needs the
 * file system that holds the mail to have at least a minimum free, plus one and a half times the size a client
 * announces with SIZE, so that a server on a full disk says {@code 452 4.3.1} at MAIL FROM instead of failing after
 * the client sent the whole message. Immutable and thread-safe.
 */
public final class FreeSpace {
    private final Path directory;
    private final FileStore store;
    private final long minFree;

    private FreeSpace(Path directory, FileStore store, long minFree) {
        this.directory = directory;
        this.store = store;
        this.minFree = minFree;
    }

    /**
     * A check of the file system holding {@code directory}.
     *
     * @throws UncheckedIOException if the directory does not exist or its file system cannot be found
     */
    public static FreeSpace of(Path directory, long minFree) {
        try {
            return new FreeSpace(directory, Files.getFileStore(directory), minFree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find the file system of " + directory + " for minFreeSpace: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether a message of {@code announcedSize} octets (negative: not announced) may start now. A file system that
     * cannot be asked counts as having room: the write itself will tell.
     */
    public boolean hasRoomFor(long announcedSize) {
        long need = minFree + (announcedSize > 0 ? announcedSize + announcedSize / 2 : 0);
        try {
            return store.getUsableSpace() >= need;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public String toString() {
        return "FreeSpace{" + directory + " >= " + minFree + " bytes}";
    }
}
