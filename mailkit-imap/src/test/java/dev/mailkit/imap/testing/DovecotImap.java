package dev.mailkit.imap.testing;

import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs Dovecot's {@code imap} binary over a Maildir, the way ../shared/notes/real-peers.md describes: pre-authenticated,
 * IMAP on stdin/stdout, no daemon. As root it drops to {@code nobody} with setpriv (Dovecot refuses root), so the
 * Maildir is made world-writable first; use a copy.
 */
public final class DovecotImap {
    private static final String IMAP = "/usr/lib/dovecot/imap";

    private DovecotImap() {
    }

    /** The binary, or a skipped (locally) / failed (CI) test. */
    public static Path require() {
        return ExternalTool.require(IMAP);
    }

    /** Sends the commands (each line gets CRLF) and returns everything Dovecot wrote. */
    public static byte[] run(Path maildir, List<String> commands) throws IOException {
        Path imap = require();
        openUp(maildir);
        StringBuilder in = new StringBuilder();
        for (String c : commands) {
            in.append(c).append("\r\n");
        }
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            cmd.addAll(List.of(ExternalTool.require("setpriv").toString(), "--reuid=65534", "--regid=65534",
                    "--clear-groups"));
        }
        cmd.addAll(List.of(imap.toString(), "-o", "mail_location=maildir:" + maildir, "-o", "mail_fsync=never",
                "-o", "mail_cache_min_mail_count=0"));
        ExternalTool.Result r = ExternalTool.run(cmd, in.toString().getBytes(StandardCharsets.UTF_8),
                Duration.ofSeconds(60), Map.of("USER", root ? "nobody" : System.getProperty("user.name"),
                        "HOME", maildir.toString()), maildir);
        return r.stdout.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts Dovecot over the Maildir for an interactive conversation (TZ=UTC, so INTERNALDATE is in UTC). The
     * caller destroys the process.
     */
    public static Process start(Path maildir) throws IOException {
        return start(maildir, List.of());
    }

    /**
     * As {@link #start(Path)}, with more settings: each a {@code -o} option (for example {@code imap_metadata=yes}).
     */
    public static Process start(Path maildir, List<String> settings) throws IOException {
        Path imap = require();
        openUp(maildir);
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            cmd.addAll(List.of(ExternalTool.require("setpriv").toString(), "--reuid=65534", "--regid=65534",
                    "--clear-groups"));
        }
        cmd.addAll(List.of(imap.toString(), "-o", "mail_location=maildir:" + maildir, "-o", "mail_fsync=never"));
        for (String setting : settings) {
            cmd.addAll(List.of("-o", setting));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(Map.of("USER", root ? "nobody" : System.getProperty("user.name"),
                "HOME", maildir.toString(), "TZ", "UTC", "PATH", "/usr/bin:/bin"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.directory(maildir.toFile());
        return pb.start();
    }

    private static void openUp(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx"
                        : "rw-rw-rw-"));
            }
        }
    }
}
