package dev.mailkit.store.interop;

import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Helpers for running real mail programs (Dovecot, Postfix, mutt) against mailkit's files. */
final class RealPrograms {
    private RealPrograms() {
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Skips the test locally, fails it under CI, unless the JVM runs as root (CI does). */
    static void requireRoot(String why) {
        if (!isRoot()) {
            String msg = why + " needs root (CI runs as root)";
            if (ExternalTool.underCi()) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    /**
     * The command as the unprivileged mail user: when running as root, Dovecot's mail processes refuse root, so
     * they run as {@code nobody} (the files must be theirs, see {@link #giveTo}); otherwise as we are.
     */
    static List<String> asMailUser(Path home, List<String> command) {
        List<String> out = new ArrayList<>();
        String user = isRoot() ? "nobody" : System.getProperty("user.name");
        if (isRoot()) {
            out.addAll(List.of(ExternalTool.require("setpriv").toString(), "--reuid=nobody", "--regid=nogroup",
                    "--clear-groups"));
        }
        out.addAll(List.of("env", "-i", "HOME=" + home, "USER=" + user, "PATH=/usr/bin:/bin"));
        out.addAll(command);
        return out;
    }

    /** Hands a directory tree to the mail user (only when running as root). */
    static void giveTo(Path root, String user, String group) throws IOException {
        if (!isRoot()) {
            return;
        }
        UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal u = lookup.lookupPrincipalByName(user);
        GroupPrincipal g = lookup.lookupPrincipalByGroupName(group);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                v.setOwner(u);
                v.setGroup(g);
            }
        }
    }

    /** Makes a directory and its parents up to {@code top} traversable by other users. */
    static void openUp(Path dir, Path top) throws IOException {
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /** Waits for a condition, checking every 20 ms, up to the timeout. */
    static boolean waitFor(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }

    /** Runs a program and fails with its output unless it succeeds. */
    static ExternalTool.Result run(List<String> command, String stdin, Duration timeout) {
        return ExternalTool.run(command, stdin == null ? null : stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                timeout, Map.of(), null).assertSuccess();
    }
}
