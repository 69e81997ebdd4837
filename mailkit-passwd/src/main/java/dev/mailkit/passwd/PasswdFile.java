package dev.mailkit.passwd;

import dev.mailkit.core.MailAddress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Dovecot passwd-file of mail users: one {@code user:{SCHEME}hash:uid:gid:gecos:home:shell:extra} line per user
 * (fields after the password optional, kept as they are), {@code #} comments and blank lines. The user is the mail
 * address, which is also the login name. Read and written as UTF-8.
 *
 * <p>Reading is strict and bounded: a line over {@value #MAX_LINE} characters, a control character, a user that is not
 * a mail address, a user twice, or a password that is not a well-formed hash of a {@link PasswordScheme} is an
 * {@link IllegalArgumentException} whose message names the file and line ({@code users:12: ...}) and never repeats a
 * hash. Edits ({@link #put}, {@link #remove}) keep every other line byte for byte, hold an exclusive lock on
 * {@code FILE.lock} against a concurrent edit, and replace the file atomically (written, synced, renamed); a new file
 * is readable by its owner only.
 */
public final class PasswdFile {
    /** The longest line read. */
    public static final int MAX_LINE = 8192;
    /** The largest file read (16 MiB: about 100 000 users). */
    public static final long MAX_SIZE = 16L << 20;

    /** One user of the file. */
    public static final class Entry {
        private final MailAddress address;
        private final String username;
        private final String password;
        private final int line;

        Entry(String username, MailAddress address, String password, int line) {
            this.username = username;
            this.address = address;
            this.password = password;
            this.line = line;
        }

        /** The login name, as written in the file. */
        public String username() {
            return username;
        }

        /** The user's mail address. */
        public MailAddress address() {
            return address;
        }

        /** The stored {@code {SCHEME}hash}. */
        public String password() {
            return password;
        }

        /** The line number, from 1. */
        public int line() {
            return line;
        }

        @Override
        public String toString() {
            return "PasswdFile.Entry{" + username + ", line " + line + "}";
        }
    }

    private PasswdFile() {
    }

    /**
     * Reads every user of the file.
     *
     * @throws IllegalArgumentException naming the file and line of the first problem, or that the file cannot be read
     */
    public static List<Entry> read(Path file) {
        return parse(readText(file), file.toString());
    }

    /** Parses the text of a passwd-file; {@code name} is the file name errors start with. */
    public static List<Entry> parse(String text, String name) {
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int n = 0;
        for (String line : lines(text)) {
            n++;
            if (line.length() > MAX_LINE) {
                throw new IllegalArgumentException(name + ":" + n + ": the line is longer than " + MAX_LINE
                        + " characters");
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c < 32 && c != '\t' || c == 127) {
                    throw new IllegalArgumentException(name + ":" + n + ": control character (code " + (int) c
                            + ") in the line");
                }
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(name + ":" + n + ": expected user:{SCHEME}hash[:uid:gid:gecos:home:"
                        + "shell:extra]");
            }
            String user = line.substring(0, colon);
            int end = line.indexOf(':', colon + 1);
            String password = end < 0 ? line.substring(colon + 1) : line.substring(colon + 1, end);
            MailAddress address;
            try {
                address = MailAddress.parse(user);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + n + ": the user '" + printable(user)
                        + "' is not a mail address (mailkit's users log in with their address)");
            }
            Integer before = seen.put(user.toLowerCase(Locale.ROOT), n);
            if (before != null) {
                throw new IllegalArgumentException(name + ":" + n + ": " + user + " is already on line " + before);
            }
            try {
                PasswordScheme.check(password);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ":" + n + ": " + user + ": " + e.getMessage());
            }
            out.add(new Entry(user, address, password, n));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Adds a user or replaces the password of one, keeping the line's other fields.
     *
     * @param mustExist true: the user must be there (a password change); false: must not be (a new user)
     * @throws IllegalArgumentException if the user is there or not against {@code mustExist}, or the file is bad
     * @throws IOException              if the file cannot be written
     */
    public static void put(Path file, String user, String storedHash, boolean mustExist) throws IOException {
        MailAddress.parse(user);
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a user name must not contain ':'");
        }
        PasswordScheme.check(storedHash);
        edit(file, user, storedHash, mustExist);
    }

    /**
     * Removes a user.
     *
     * @return whether the user was there
     */
    public static boolean remove(Path file, String user) throws IOException {
        return edit(file, user, null, true);
    }

    private static boolean edit(Path file, String user, String storedHash, boolean mustExist) throws IOException {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            String text = Files.exists(file) ? readText(file) : "";
            parse(text, file.toString()); // refuse to edit a file that is already bad
            List<String> lines = new ArrayList<>(lines(text));
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                int colon = l.indexOf(':');
                if (!l.startsWith("#") && colon > 0 && l.substring(0, colon).equalsIgnoreCase(user)) {
                    at = i;
                }
            }
            if (at < 0 && mustExist) {
                if (storedHash == null) {
                    return false;
                }
                throw new IllegalArgumentException(user + " is not in " + file);
            }
            if (at >= 0 && !mustExist) {
                throw new IllegalArgumentException(user + " is already in " + file + " (line " + (at + 1) + ")");
            }
            if (storedHash == null) {
                lines.remove(at);
            } else if (at < 0) {
                lines.add(user + ":" + storedHash + "::::::");
            } else {
                String l = lines.get(at);
                int colon = l.indexOf(':');
                int end = l.indexOf(':', colon + 1);
                lines.set(at, l.substring(0, colon + 1) + storedHash + (end < 0 ? "" : l.substring(end)));
            }
            write(file, lines);
            return true;
        }
    }

    private static void write(Path file, List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        if (Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the default permissions
            }
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer b = StandardCharsets.UTF_8.encode(sb.toString());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot sync a directory
        }
    }

    static String readText(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes((int) MAX_SIZE + 1);
            if (b.length > MAX_SIZE) {
                throw new IllegalArgumentException(file + ": larger than " + (MAX_SIZE >> 20) + " MiB");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String l = text.substring(start, end);
            out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            start = end + 1;
        }
        return out;
    }

    private static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
