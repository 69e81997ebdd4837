package dev.mailkit.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs Dovecot's programs ({@code imap}, {@code pop3}, {@code dovecot-lda}), which refuse to run as root, from tests
 * that may run as root (CI does): as root a command runs as {@code nobody} (uid and gid 65534) through
 * {@code setpriv}, otherwise as the test's own user; the files it works on are opened to everyone first.
 */
public final class Unprivileged {
    private Unprivileged() {
    }

    /** Whether the tests run as root. */
    public static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The command, behind {@code setpriv --reuid=65534 --regid=65534 --clear-groups} when running as root. */
    public static List<String> command(List<String> command) {
        List<String> out = new ArrayList<>();
        if (root()) {
            out.addAll(List.of(ExternalTool.require("setpriv").toString(), "--reuid=65534", "--regid=65534",
                    "--clear-groups"));
        }
        out.addAll(command);
        return out;
    }

    /** The user name the command runs as ({@code USER} in its environment): {@code nobody} as root. */
    public static String user() {
        return root() ? "nobody" : System.getProperty("user.name");
    }

    /** Makes every directory (rwxrwxrwx) and file (rw-rw-rw-) of the tree writable by all; links are left alone. */
    public static void openUp(Path tree) throws IOException {
        try (Stream<Path> s = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p)
                            ? "rwxrwxrwx" : "rw-rw-rw-"));
                }
            }
        }
    }
}
