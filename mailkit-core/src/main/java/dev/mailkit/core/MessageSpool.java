package dev.mailkit.core;

import dev.mailkit.core.internal.Segment;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where incoming messages are collected while they arrive: in memory up to a threshold, then in a temporary file in
 * a spool directory. The result is a {@link MessageSource}. The spool is transient (it is not the durable store: a
 * sink writes the message durably before the SMTP server says {@code 250}); its files are created readable by the
 * owner only and deleted when the source is closed.
 *
 * <p>Defaults: threshold 256 KiB, directory {@code java.io.tmpdir}. Immutable and thread-safe; each
 * {@link Writer} is for one thread.
 */
public final class MessageSpool {
    /** The default in-memory threshold, 256 KiB. */
    public static final int DEFAULT_THRESHOLD = 256 * 1024;

    private final Path directory;
    private final int threshold;
    /** A running average of message sizes, so that a writer's first buffer usually fits its message exactly. */
    private final java.util.concurrent.atomic.AtomicInteger typicalSize = new java.util.concurrent.atomic.AtomicInteger(4096);

    private MessageSpool(Path directory, int threshold) {
        this.directory = directory;
        this.threshold = threshold;
    }

    /** A spool in {@code java.io.tmpdir} with the default threshold. */
    public static MessageSpool temporary() {
        return new MessageSpool(Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_THRESHOLD);
    }

    /**
     * A spool in the given directory (created if missing when the first file is needed).
     *
     * @param memoryThreshold messages up to this many bytes stay in memory; 0 spools every message to disk
     */
    public static MessageSpool create(Path directory, int memoryThreshold) {
        Objects.requireNonNull(directory, "directory");
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memoryThreshold must be >= 0, was " + memoryThreshold);
        }
        return new MessageSpool(directory, memoryThreshold);
    }

    /** The spool directory. */
    public Path directory() {
        return directory;
    }

    /** The in-memory threshold in bytes. */
    public int threshold() {
        return threshold;
    }

    /** Starts collecting one message. */
    public Writer newWriter() {
        return new Writer();
    }

    /** Copies a whole stream into a new source (convenience for APIs that take an InputStream). */
    public MessageSource copyOf(java.io.InputStream in) throws IOException {
        Writer w = newWriter();
        try {
            in.transferTo(w);
            return w.finish();
        } catch (IOException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /**
     * Collects the bytes of one message; {@link #finish()} turns them into a {@link MessageSource}, {@link #abort()}
     * (or {@link #close()} without finish) discards them and deletes any file. Not thread-safe.
     */
    public final class Writer extends OutputStream {
        private byte[] buf = new byte[Math.max(512, Math.min(threshold, typicalSize.get() + typicalSize.get() / 8))];
        private int count;
        private Path file;
        private OutputStream fileOut;
        private long fileBytes;
        private boolean done;

        private Writer() {
        }

        @Override
        public void write(int b) throws IOException {
            if (done) {
                throw new IOException("spool writer already finished or aborted");
            }
            if (fileOut != null) {
                fileOut.write(b);
                fileBytes++;
                return;
            }
            if (count == buf.length) {
                grow(1);
                if (fileOut != null) {
                    write(b);
                    return;
                }
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            checkState();
            if (fileOut != null) {
                fileOut.write(b, off, len);
                fileBytes += len;
                return;
            }
            if (count + len > buf.length) {
                grow(len);
                if (fileOut != null) {
                    write(b, off, len);
                    return;
                }
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        private void grow(int extra) throws IOException {
            checkState();
            long needed = (long) count + extra;
            if (needed > threshold) {
                spill();
            } else {
                buf = Arrays.copyOf(buf, (int) Math.min(threshold, Math.max(needed, (long) buf.length * 2)));
            }
        }

        private void spill() throws IOException {
            Files.createDirectories(directory);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                file = Files.createTempFile(directory, "mailkit-", ".eml",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                file = Files.createTempFile(directory, "mailkit-", ".eml");
            }
            fileOut = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 64 * 1024);
            fileOut.write(buf, 0, count);
            fileBytes = count;
            buf = null;
            count = 0;
        }

        /** The number of bytes written so far. */
        public long size() {
            return fileOut != null ? fileBytes : count;
        }

        /** Ends the message and returns it as a source. The writer cannot be used afterwards. */
        public MessageSource finish() throws IOException {
            checkState();
            done = true;
            if (fileOut == null) {
                int typical = typicalSize.get();
                typicalSize.lazySet(typical + (count - typical) / 8); // moving average, races are harmless
                byte[] b = buf;
                buf = null;
                if (b.length - count > 1024 && b.length - count > count / 4) {
                    b = Arrays.copyOf(b, count); // do not keep the slack of the growth buffer alive with the message
                }
                return MessageSource.of(b, 0, count);
            }
            Path f = file;
            try {
                fileOut.close();
                FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
                Closeable deleteOnClose = () -> {
                    try {
                        ch.close();
                    } finally {
                        Files.deleteIfExists(f);
                    }
                };
                return MessageSource.ofSpool(List.of(Segment.of(ch, 0, fileBytes)), List.of(deleteOnClose));
            } catch (IOException e) {
                Files.deleteIfExists(f);
                throw e;
            }
        }

        /** Discards what was written and deletes the spool file, if any. Idempotent. */
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            buf = null;
            if (fileOut != null) {
                try {
                    fileOut.close();
                } catch (IOException ignored) {
                    // deleting it anyway
                }
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete spool file " + file, e);
                }
            }
        }

        /** Same as {@link #abort()} unless {@link #finish()} was called. */
        @Override
        public void close() {
            abort();
        }

        private void checkState() throws IOException {
            if (done) {
                throw new IOException("spool writer already finished or aborted");
            }
        }
    }
}
