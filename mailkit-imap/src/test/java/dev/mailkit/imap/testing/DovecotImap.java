package dev.mailkit.imap.testing;

import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.Unprivileged;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs Dovecot's {@code imap} binary over a Maildir, the way ../shared/notes/real-peers.md describes: pre-authenticated,
 * IMAP on stdin/stdout, no daemon. As root it drops to {@code nobody} with setpriv (Dovecot refuses root), so the
 * Maildir is made world-writable first; use a copy. {@link DovecotFixture} makes the copies and runs the scripts.
 */
public final class DovecotImap {
    private static final String IMAP = "/usr/lib/dovecot/imap";

    private DovecotImap() {
    }

    /** The binary, or a skipped (locally) / failed (CI) test. */
    public static Path require() {
        return ExternalTool.require(IMAP);
    }

    /**
     * Starts Dovecot over the Maildir for an interactive conversation (TZ=UTC, so INTERNALDATE is in UTC), with more
     * settings: each a {@code -o} option (for example {@code imap_metadata=yes}). The caller destroys the process.
     */
    public static Process start(Path maildir, List<String> settings) throws IOException {
        Path imap = require();
        Unprivileged.openUp(maildir);
        List<String> cmd = new ArrayList<>(List.of(imap.toString(), "-o", "mail_location=maildir:" + maildir, "-o",
                "mail_fsync=never"));
        for (String setting : settings) {
            cmd.addAll(List.of("-o", setting));
        }
        ProcessBuilder pb = new ProcessBuilder(Unprivileged.command(cmd));
        pb.environment().clear();
        pb.environment().putAll(Map.of("USER", Unprivileged.user(), "HOME", maildir.toString(), "TZ", "UTC",
                "PATH", "/usr/bin:/bin"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.directory(maildir.toFile());
        return pb.start();
    }
}
