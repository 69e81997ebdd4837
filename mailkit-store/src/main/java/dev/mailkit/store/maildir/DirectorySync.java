package dev.mailkit.store.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of a directory's entries: every delivery must fsync the directory it renamed its file into before it
 * may answer {@code 250}, but one fsync that starts after several renames makes all of them durable. A caller takes
 * a ticket after its rename; if an fsync that started after that is already done, it returns at once; if one is
 * running, it waits for it and then checks again; otherwise it runs one itself, covering every ticket taken so far.
 * So with N concurrent deliveries there are about two directory fsyncs per round instead of N, and still none of
 * them answers before its own rename is on disk. Thread-safe; the lock is never held during the fsync.
 */
final class DirectorySync {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long requested;
    private long completed;
    private boolean running;

    /** Returns once every entry change made in {@code dir} before the call is durable. */
    void sync(Path dir) throws IOException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket && running) {
                finished.awaitUninterruptibly();
            }
            if (completed >= ticket) {
                return;
            }
            running = true;
            long covering = requested;
            boolean ok = false;
            lock.unlock();
            try {
                Fs.fsyncDirectory(dir);
                ok = true;
            } finally {
                lock.lock();
                running = false;
                if (ok && covering > completed) {
                    completed = covering;
                }
                finished.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
