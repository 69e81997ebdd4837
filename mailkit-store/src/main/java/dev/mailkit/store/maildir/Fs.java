package dev.mailkit.store.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * File-system operations as the Maildir store does them: never following symbolic links (a link planted in a Maildir
 * is refused, not read), creating directories owner-only and durably, replacing small files atomically. Stateless.
 */
final class Fs {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] DIR_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];
    private static final FileAttribute<?>[] FILE_ATTRS = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];
    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    private Fs() {
    }

    /** Whether the path is a directory itself (not a symbolic link to one). */
    static boolean isRealDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Fails unless the path is a directory itself.
     *
     * @throws IOException saying what is there instead
     */
    static void requireRealDirectory(Path p) throws IOException {
        if (!isRealDirectory(p)) {
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + " is a symbolic link; the Maildir store does not follow links (replace it "
                        + "with a directory)");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(p + " is not a directory");
            }
            throw new NoSuchFileException(p.toString());
        }
    }

    /**
     * Creates a directory (owner-only) if it is missing, and fsyncs its parent when it was created and
     * {@code sync} is set; fails if the path is something other than a directory.
     *
     * @return whether it was created
     */
    static boolean ensureDirectory(Path dir, boolean sync) throws IOException {
        if (isRealDirectory(dir)) {
            return false;
        }
        try {
            Files.createDirectory(dir, DIR_ATTRS);
        } catch (FileAlreadyExistsException e) {
            requireRealDirectory(dir);
            return false;
        }
        if (sync) {
            fsyncDirectory(dir.getParent());
        }
        return true;
    }

    /** Makes the entries of a directory (creations, renames, deletions) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, READ)) {
            ch.force(true);
        }
    }

    /** Creates a new file (owner-only) for writing; fails if anything exists at the path. */
    static FileChannel createNew(Path file) throws IOException {
        return FileChannel.open(file, CREATE_NEW, FILE_ATTRS);
    }

    /** Opens a file for reading; fails if it is a symbolic link. */
    static FileChannel openRead(Path file) throws IOException {
        return FileChannel.open(file, READ);
    }

    /** Writes all bytes at the channel's position. */
    static void writeFully(FileChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Replaces a small file atomically: writes a temporary file next to it, fsyncs it if {@code sync}, renames it
     * over the target and fsyncs the directory.
     */
    static void replace(Path target, byte[] data, boolean sync, String tempName) throws IOException {
        Path tmp = target.resolveSibling(tempName);
        Files.deleteIfExists(tmp);
        try (FileChannel ch = createNew(tmp)) {
            writeFully(ch, data);
            if (sync) {
                ch.force(true);
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (sync) {
            fsyncDirectory(target.getParent());
        }
    }

    /** Reads a small file, or returns null if it does not exist (a symbolic link counts as an error). */
    static byte[] readSmall(Path file, int max) throws IOException {
        try (FileChannel ch = openRead(file)) {
            long size = ch.size();
            if (size > max) {
                throw new IOException(file + " is " + size + " octets, more than the " + max + " expected");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return b.array();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Deletes a directory tree without following links (a link is deleted, not its target). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                        Files.deleteIfExists(dir);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    /** The names in a directory (fast: no per-entry objects but the names), or an empty array if it is gone. */
    static String[] list(Path dir) throws IOException {
        requireRealDirectory(dir);
        String[] names = dir.toFile().list();
        if (names == null) {
            if (!isRealDirectory(dir)) {
                return new String[0];
            }
            throw new IOException("cannot list " + dir);
        }
        return names;
    }
}
