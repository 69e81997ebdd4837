package dev.mailkit.relay.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes directory changes (new names, renames, deletions) durable with {@code fsync} on the directory, shared between
 * callers: whoever arrives while a sync runs waits for the next one, which then covers everyone who arrived meanwhile
 * (group commit). {@link #sync()} returns once a sync that started after the call has completed; {@link #syncSoon()}
 * asks for one without waiting. Thread-safe.
 */
public final class DirectorySync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);

    private final Path dir;
    private final boolean supported;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long requested;
    private long completed;
    private boolean running;
    private long durableThrough;
    private IOException lastFailure;
    private boolean closed;
    private final Thread background;

    public DirectorySync(Path dir) {
        this.dir = dir;
        this.supported = !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        this.background = new Thread(this::backgroundLoop, "mailkit-relay-dirsync");
        background.setDaemon(true);
        background.start();
    }

    /** Waits until every change made before this call is durable. */
    public void sync() throws IOException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (!running) {
                    running = true;
                    long upTo = requested;
                    lock.unlock();
                    IOException failure = null;
                    try {
                        force();
                    } catch (IOException e) {
                        failure = e;
                    } finally {
                        lock.lock();
                    }
                    running = false;
                    if (failure == null) {
                        durableThrough = Math.max(durableThrough, upTo);
                    } else {
                        lastFailure = failure;
                    }
                    completed = Math.max(completed, upTo);
                    changed.signalAll();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
            if (durableThrough < ticket) {
                throw new IOException("fsync of " + dir + " failed: " + lastFailure.getMessage(), lastFailure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Asks for a sync soon (within milliseconds) without waiting for it. */
    public void syncSoon() {
        lock.lock();
        try {
            requested++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void backgroundLoop() {
        while (true) {
            lock.lock();
            try {
                while (!closed && (completed >= requested || running)) {
                    changed.awaitUninterruptibly();
                }
                if (closed && completed >= requested) {
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                sync();
            } catch (IOException e) {
                LOG.error("cannot fsync queue directory {}: {}", dir, e.toString());
            }
        }
    }

    private void force() throws IOException {
        if (!supported) {
            return; // Windows cannot open a directory as a channel; NTFS journals metadata anyway
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Syncs what is outstanding and stops the background thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            background.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
