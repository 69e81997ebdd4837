package dev.mailkit.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs real, independently written programs (swaks, curl, Python, Dovecot...) from tests. A missing program skips the
 * test on a developer machine but fails it under CI (environment variable {@code CI} or {@code MAILKIT_TEST_CI} set to
 * true), where {@code .ci/run} installs every program the tests use.
 */
public final class ExternalTool {
    private ExternalTool() {
    }

    /** Whether tests run under CI. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || "true".equalsIgnoreCase(System.getenv("MAILKIT_TEST_CI"));
    }

    /** The path of a program, or a skipped (locally) / failed (CI) test when it is missing. */
    public static Path require(String program) {
        Path p = find(program);
        if (p == null) {
            String msg = program + " is not installed (it comes from a Debian package that .ci/run installs; "
                    + "see ../shared/notes/real-peers.md)";
            if (underCi()) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    /** Finds a program on the PATH or in /usr/sbin, /usr/lib/dovecot. */
    public static Path find(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? p : null;
        }
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/usr/lib/dovecot"));
        for (String d : dirs) {
            Path p = Path.of(d, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The system Python 3 (Debian's, where python3-* packages import), or the PATH one. */
    public static Path python() {
        Path sys = Path.of("/usr/bin/python3");
        return Files.isExecutable(sys) ? sys : require("python3");
    }

    /** The outcome of a program run. */
    public static final class Result {
        public final int exitCode;
        public final String stdout;
        public final String stderr;

        Result(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /** Fails with the program's output unless it exited with 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("exit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs a command with the given standard input and a timeout; fails the test on timeout. */
    public static Result run(List<String> command, byte[] stdin, Duration timeout) {
        return run(command, stdin, timeout, Map.of(), null);
    }

    /** Runs a command with extra environment variables and a working directory. */
    public static Result run(List<String> command, byte[] stdin, Duration timeout, Map<String, String> env, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException ignored) {
                // the program may exit without reading its input
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout + "\n--- stdout so far\n"
                        + new String(out.getNow(new byte[0]), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
