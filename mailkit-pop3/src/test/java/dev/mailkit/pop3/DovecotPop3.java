package dev.mailkit.pop3;

import dev.mailkit.testsupport.ExternalTool;
import dev.mailkit.testsupport.Unprivileged;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Dovecot's {@code pop3} binary over a Maildir the way ../shared/notes/real-peers.md describes for imap:
 * pre-authenticated, POP3 on stdin/stdout (no greeting), no daemon. As root it drops to {@code nobody} with setpriv
 * (Dovecot refuses root), so the Maildir is made world-writable first: give it a copy.
 */
final class DovecotPop3 {
    private static final String POP3 = "/usr/lib/dovecot/pop3";

    private DovecotPop3() {
    }

    /** The binary, or a skipped (locally) / failed (CI) test. */
    static Path require() {
        return ExternalTool.require(POP3);
    }

    /** Sends the commands (each gets CRLF) and returns everything Dovecot wrote to stdout. */
    static byte[] run(Path maildir, List<String> commands) throws IOException {
        Path pop3 = require();
        openUp(maildir);
        StringBuilder in = new StringBuilder();
        for (String c : commands) {
            in.append(c).append("\r\n");
        }
        List<String> cmd = Unprivileged.command(List.of(pop3.toString(), "-o", "mail_location=maildir:" + maildir,
                "-o", "mail_fsync=never"));
        // stdout as bytes through files: messages may hold bytes that are not UTF-8
        Path work = Files.createTempDirectory("dovecot-pop3");
        try {
            // stdin must be a pipe: Dovecot polls it
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(maildir.toFile())
                    .redirectOutput(work.resolve("out").toFile())
                    .redirectError(work.resolve("err").toFile());
            pb.environment().put("USER", Unprivileged.user());
            pb.environment().put("HOME", maildir.toString());
            Process p = pb.start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(in.toString().getBytes(StandardCharsets.US_ASCII));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("dovecot pop3 did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("dovecot pop3 exited with " + p.exitValue() + ": "
                        + Files.readString(work.resolve("err")));
            }
            return Files.readAllBytes(work.resolve("out"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            try (Stream<Path> s = Files.list(work)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(work);
        }
    }

    private static void openUp(Path dir) throws IOException {
        for (Path p = dir.toAbsolutePath().getParent(); p != null && !p.equals(p.getRoot()); p = p.getParent()) {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(p, perms);
            }
        }
        Unprivileged.openUp(dir);
    }
}
