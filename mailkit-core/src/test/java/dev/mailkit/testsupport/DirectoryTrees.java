package dev.mailkit.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Directory trees in tests: copies of a Maildir for each server that serves it. */
public final class DirectoryTrees {
    private DirectoryTrees() {
    }

    /**
     * Copies the tree below {@code from} to {@code to} (made if missing); files keep their modification times
     * (Maildir's internal dates) and permissions. Returns {@code to}.
     */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
