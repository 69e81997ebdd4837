package dev.mailkit.sieve;

import dev.mailkit.store.AccountId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Users' Sieve scripts where Dovecot's Pigeonhole keeps them ({@code sieve = file:~/sieve;active=~/.dovecot.sieve}):
 * each script is {@code ~/sieve/NAME.sieve}, and the active one is {@code ~/.dovecot.sieve}, a symbolic link to
 * {@code sieve/NAME.sieve} (a regular file there is an active script too, as Pigeonhole reads it; activating another
 * script moves it to {@code sieve/dovecot.orig.sieve} first). For mailkit's Maildir store the home is the account
 * directory {@code DATA/<domain>/<user>/} ({@link #maildir}), so a tree moved between Dovecot and mailkit keeps its
 * filters. Scripts are written durably (temporary file, fsync, rename). The {@link SieveScriptStore} of one node;
 * with several nodes, keep them in the database they share. Thread-safe (the file system orders concurrent changes).
 */
public final class SieveScripts implements SieveScriptStore {
    /** The active script's link in the home. */
    public static final String ACTIVE = ".dovecot.sieve";
    /** The scripts' directory in the home. */
    public static final String DIRECTORY = "sieve";
    static final String SUFFIX = ".sieve";

    private final Function<AccountId, Path> home;
    private final Path globalDirectory;

    private SieveScripts(Function<AccountId, Path> home, Path globalDirectory) {
        this.home = home;
        this.globalDirectory = globalDirectory;
    }

    /** Homes given by a function (for example the directory a user directory names). */
    public static SieveScripts homes(Function<AccountId, Path> home) {
        return new SieveScripts(Objects.requireNonNull(home, "home"), null);
    }

    /** The homes of mailkit's Maildir store under {@code root}: {@code root/<domain>/<local part>/}. */
    public static SieveScripts maildir(Path root) {
        Path r = root.toAbsolutePath().normalize();
        return homes(id -> r.resolve(id.domain()).resolve(id.localPart()));
    }

    /** The same homes with a directory of global scripts for {@code include :global} ({@code NAME.sieve}). */
    public SieveScripts withGlobalDirectory(Path directory) {
        return new SieveScripts(home, Objects.requireNonNull(directory, "directory"));
    }

    /** A user's home. */
    public Path home(AccountId account) {
        return home.apply(account);
    }

    /**
     * Why a name cannot name a script (RFC 5804 1.6, and a file name), or null if it can: 1 to 255 characters, no
     * control characters, no {@code /}, not starting with a dot.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "a script name cannot be empty";
        }
        if (name.length() > 255) {
            return "a script name is at most 255 characters long";
        }
        if (name.startsWith(".")) {
            return "a script name cannot start with a dot";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '/' || c == 0x2028 || c == 0x2029) {
                return "a script name cannot contain control characters or '/'";
            }
        }
        return null;
    }

    private Path dir(AccountId a) {
        return home(a).resolve(DIRECTORY);
    }

    private Path file(AccountId a, String name) {
        String p = nameProblem(name);
        if (p != null) {
            throw new IllegalArgumentException(p);
        }
        return dir(a).resolve(name + SUFFIX);
    }

    /** The names of a user's scripts, sorted. */
    @Override
    public List<String> list(AccountId account) throws IOException {
        List<String> out = new ArrayList<>();
        Path d = dir(account);
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*" + SUFFIX)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                n = n.substring(0, n.length() - SUFFIX.length());
                if (nameProblem(n) == null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(n);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** A script's source, if it exists. */
    @Override
    public Optional<String> read(AccountId account, String name) throws IOException {
        Path f = file(account, name);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(f, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Writes a script durably (replacing one of the same name). */
    @Override
    public void write(AccountId account, String name, String source) throws IOException {
        Path f = file(account, name);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling("." + name + ".tmp" + Long.toHexString(System.nanoTime()));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(source.getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(f.getParent());
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not every file system syncs directories
        }
    }

    /** The name of the active script, if one of the user's scripts is active (a link into {@code sieve/}). */
    @Override
    public Optional<String> activeName(AccountId account) throws IOException {
        Path link = home(account).resolve(ACTIVE);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        Path target = Files.readSymbolicLink(link);
        String n = target.getFileName() == null ? "" : target.getFileName().toString();
        if (!n.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        n = n.substring(0, n.length() - SUFFIX.length());
        Path resolved = home(account).resolve(target).normalize();
        return nameProblem(n) == null && resolved.equals(file(account, n).normalize()) && Files.isRegularFile(resolved)
                ? Optional.of(n) : Optional.empty();
    }

    /**
     * The source of the script that runs at delivery: {@code ~/.dovecot.sieve} (a link or a file), if present.
     */
    @Override
    public Optional<String> activeSource(AccountId account) throws IOException {
        Path link = home(account).resolve(ACTIVE);
        try {
            if (!Files.isRegularFile(link)) {
                return Optional.empty();
            }
            if (Files.size(link) > SieveScript.MAX_SOURCE * 4L) {
                throw new IOException("the active script " + link + " is too large");
            }
            return Optional.of(Files.readString(link, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Makes a script the active one, or none when {@code name} is null (RFC 5804 SETACTIVE ""): the link is replaced
     * atomically.
     *
     * @throws NoSuchFileException if there is no such script
     */
    @Override
    public void activate(AccountId account, String name) throws IOException {
        Path h = home(account);
        Path link = h.resolve(ACTIVE);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            Files.createDirectories(dir(account));
            Files.move(link, file(account, "dovecot.orig"), StandardCopyOption.REPLACE_EXISTING);
        }
        if (name == null) {
            Files.deleteIfExists(link);
            return;
        }
        if (!Files.isRegularFile(file(account, name), LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(name);
        }
        Path tmp = h.resolve(ACTIVE + ".tmp" + Long.toHexString(System.nanoTime()));
        Files.createSymbolicLink(tmp, Path.of(DIRECTORY, name + SUFFIX));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(h);
    }

    /**
     * Deletes a script.
     *
     * @return false if there was none
     * @throws IllegalStateException if it is the active script (RFC 5804 DELETESCRIPT refuses that)
     */
    @Override
    public boolean delete(AccountId account, String name) throws IOException {
        if (activeName(account).filter(name::equals).isPresent()) {
            throw new IllegalStateException("the active script cannot be deleted");
        }
        return Files.deleteIfExists(file(account, name));
    }

    /**
     * Renames a script (the active one stays active under its new name).
     *
     * @return false if there was no such script
     * @throws FileAlreadyExistsException if the new name is taken
     */
    @Override
    public boolean rename(AccountId account, String from, String to) throws IOException {
        Path a = file(account, from);
        Path b = file(account, to);
        if (!Files.isRegularFile(a, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.exists(b, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(to);
        }
        boolean active = activeName(account).filter(from::equals).isPresent();
        Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
        if (active) {
            activate(account, to);
        }
        return true;
    }

    /** A file {@code .mailkit-vacation} in each home. */
    @Override
    public Optional<VacationMemory> vacationMemory() {
        return Optional.of(VacationMemory.fileInHome(this, ".mailkit-vacation"));
    }

    /** The include resolver of a user: personal scripts from {@code ~/sieve/}, global ones from the directory. */
    @Override
    public IncludeResolver includes(AccountId account) {
        return (global, name) -> {
            if (global) {
                if (globalDirectory == null || nameProblem(name) != null) {
                    return Optional.empty();
                }
                Path f = globalDirectory.resolve(name + SUFFIX);
                return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8))
                        : Optional.empty();
            }
            return nameProblem(name) == null ? read(account, name) : Optional.empty();
        };
    }
}
