package dev.mailkit.store.maildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The directory of one Maildir mailbox through its life: where it is now (RENAME moves it), the lock that orders
 * file operations against such moves, and whether it is gone (DELETE moved it away to be removed, or another
 * program deleted it) or the store was closed. File operations address files by path under the read lock; a move
 * takes the write lock, so it waits for the operations under way. Thread-safe.
 */
final class MailboxDirectory {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile Path path;
    private volatile boolean dropped;
    private volatile boolean closed;

    MailboxDirectory(Path path) {
        this.path = path;
    }

    /** Where the directory is now. */
    Path path() {
        return path;
    }

    /** Held while files are addressed by path. */
    Lock readLock() {
        return lock.readLock();
    }

    /** Whether the directory was moved away to be deleted, or deleted by another program. */
    boolean isDropped() {
        return dropped;
    }

    /** Whether the store was closed. */
    boolean isClosed() {
        return closed;
    }

    /** Moves the directory (RENAME), waiting for file operations under way. */
    void moveTo(Path newPath) throws IOException {
        lock.writeLock().lock();
        try {
            Files.move(path, newPath, StandardCopyOption.ATOMIC_MOVE);
            this.path = newPath;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Moves the directory away to be deleted (DELETE), waiting for file operations under way: from then on the
     * mailbox is gone and nothing in it is deleted file by file.
     */
    void dropTo(Path trash) throws IOException {
        lock.writeLock().lock();
        try {
            Files.move(path, trash, StandardCopyOption.ATOMIC_MOVE);
            dropped = true;
            this.path = trash;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Another program deleted the directory. */
    void markDropped() {
        dropped = true;
    }

    /** The store was closed. */
    void markClosed() {
        closed = true;
    }
}
