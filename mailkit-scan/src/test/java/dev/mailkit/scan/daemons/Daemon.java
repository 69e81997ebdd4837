package dev.mailkit.scan.daemons;

import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real daemon from Debian, started by the tests without systemd, in the foreground, with a configuration and
 * state in a directory of its own, listening on loopback or a Unix socket. Closing it stops the process (and any
 * children it forked) and deletes the directory.
 */
public abstract class Daemon implements AutoCloseable {
    protected final Path dir;
    private Process process;
    private final String name;

    protected Daemon(String name) {
        this.name = name;
        try {
            this.dir = Files.createTempDirectory("mkscan-" + name + "-");
            dir.toFile().setWritable(true, false);
            dir.toFile().setExecutable(true, false);
            dir.toFile().setReadable(true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The program, or a skipped test (a failed one under CI) if its package is not installed. */
    protected static Path program(String name) {
        return ExternalTool.require(name);
    }

    protected static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Starts the command with its output in {@code name.log}, then waits until {@code ready} says so. */
    protected void start(List<String> command, Duration max, Callable<Boolean> ready) {
        start(command, max, ready, 1, () -> { });
    }

    /**
     * As {@link #start(List, Duration, Callable)}, trying up to {@code attempts} times: a start that did not become
     * ready is stopped, {@code reset} runs (to clear what the failed start left), and the command starts again.
     */
    protected void start(List<String> command, Duration max, Callable<Boolean> ready, int attempts, Runnable reset) {
        for (int attempt = 1; ; attempt++) {
            Path log = dir.resolve(name + ".log");
            try {
                process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + command, e);
            }
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                try {
                    if (ready.call()) {
                        return;
                    }
                } catch (Exception notYet) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    break;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            boolean alive = process.isAlive(); // before close(), which ends it
            String out = logs();
            if (attempt < attempts) {
                System.err.println(name + " did not become ready (attempt " + attempt + " of " + attempts
                        + "), starting it again; its log:\n" + out);
                stopProcess();
                reset.run();
                continue;
            }
            close();
            throw new AssertionError(name + (alive ? " did not become ready within " + max
                    : " exited with " + process.exitValue()) + "; its log:\n" + out);
        }
    }

    /** A TCP port that was free a moment ago (for daemons that cannot be told to take port 0). */
    protected static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daemon's log so far. */
    public String log() {
        return read(dir.resolve(name + ".log"));
    }

    /** The directory of its configuration and state. */
    public Path dir() {
        return dir;
    }

    /** Every log file in its directory (its output and its own log). */
    private String logs() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> p.toString().endsWith(".log")).sorted().forEach(p -> {
                String text = read(p);
                sb.append("--- ").append(p.getFileName()).append('\n')
                        .append(text.length() > 20000 ? text.substring(text.length() - 20000) : text).append('\n');
            });
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Stops the daemon's process and what it forked. */
    private void stopProcess() {
        if (process != null) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle c : children) {
                c.destroyForcibly();
            }
        }
    }

    /** Stops the daemon and what it forked, then removes its directory. */
    @Override
    public void close() {
        stopProcess();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /** The process id (for tests that kill the daemon). */
    public long pid() {
        return process.pid();
    }
}
