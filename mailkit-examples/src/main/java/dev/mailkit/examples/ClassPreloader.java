package dev.mailkit.examples;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads (without initialising) every mailkit class on the class path when the server starts, so that the server can
 * still answer when the process is out of file descriptors ({@code EMFILE}). A class is read from its file the first
 * time it is used, and that needs a descriptor (every time for a class path of directories; once per jar for jars):
 * the error paths that run only when something fails (a {@code MailStoreException} for a store that cannot open a
 * file, the switch over its reason, the IMAP {@code NO} and SMTP {@code 452} that answer it) would otherwise be loaded
 * exactly when no descriptor is free, fail with {@code NoClassDefFoundError} and end the session instead of
 * refusing temporarily; and the JVM remembers a failed resolution for good (JVMS 5.4.3), so that path would stay
 * broken after descriptors are free again. About 1 100 classes (1 300 on the tests' class path): 0.7 s at start
 * from class directories at load average 10, 40 ms for each further start in the same JVM. Classes that cannot be
 * loaded (an optional dependency that is absent) are skipped. Stateless; called by the thread that starts the server.
 */
final class ClassPreloader {
    private static final String ROOT = "dev/mailkit/";

    private ClassPreloader() {
    }

    /** Loads every class under {@code dev.mailkit} that {@code loader} can see; returns how many were loaded. */
    static int preload(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try {
            Enumeration<URL> roots = loader.getResources(ROOT);
            while (roots.hasMoreElements()) {
                collect(roots.nextElement(), names);
            }
        } catch (IOException e) {
            // best effort: what was found is loaded
        }
        int loaded = 0;
        for (String n : names) {
            try {
                Class.forName(n, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError absent) {
                // an optional dependency of this class is not on the class path: it cannot run anyway
            }
        }
        return loaded;
    }

    private static void collect(URL root, List<String> names) throws IOException {
        if ("file".equals(root.getProtocol())) {
            Path dir;
            try {
                dir = Path.of(root.toURI());
            } catch (URISyntaxException e) {
                return;
            }
            Path base = dir.getParent().getParent(); // dev/mailkit/ -> the class path entry
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> isClass(p.toString())).forEach(p -> names.add(className(base.relativize(p)
                        .toString().replace(java.io.File.separatorChar, '/'))));
            }
        } else if ("jar".equals(root.getProtocol())) {
            JarURLConnection c = (JarURLConnection) root.openConnection();
            c.setUseCaches(false);
            try (JarFile jar = c.getJarFile()) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.startsWith(ROOT) && isClass(n)) {
                        names.add(className(n));
                    }
                }
            }
        }
    }

    private static boolean isClass(String path) {
        return path.endsWith(".class") && !path.endsWith("module-info.class") && !path.endsWith("package-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
