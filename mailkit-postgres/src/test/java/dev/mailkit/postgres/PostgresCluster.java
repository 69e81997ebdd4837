package dev.mailkit.postgres;

import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 cluster for the tests, started from Debian's {@code postgresql-15} binaries without systemd:
 * {@code initdb} and {@code pg_ctl} (as the {@code postgres} user when the tests run as root) in a temporary
 * directory, on a free loopback port, with the socket in that directory. One cluster per test JVM, started on first
 * use and stopped (and deleted) when the JVM exits; each test takes a schema of its own, so tests never see each
 * other's tables. The binaries missing skips the tests on a developer machine and fails them under CI.
 */
public final class PostgresCluster {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Holder HOLDER = new Holder();

    private final Path dir;
    private final int port;
    private final boolean asPostgres;
    private final AtomicInteger schemas = new AtomicInteger();

    private PostgresCluster(Path dir, int port, boolean asPostgres) {
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** The cluster of this JVM, started if needed. */
    public static PostgresCluster get() {
        return HOLDER.get();
    }

    /** The JDBC URL of the {@code postgres} database. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** A schema name no other test of this JVM uses. */
    public String newSchema() {
        return "t" + ProcessHandle.current().pid() + "_" + schemas.incrementAndGet();
    }

    /** A database handle on a fresh schema (migrated), for node {@code node}. */
    public PostgresDatabase newDatabase(String node) {
        return database(newSchema(), node);
    }

    /** A database handle on a given schema. */
    public PostgresDatabase database(String schema, String node) {
        return PostgresDatabase.builder(jdbcUrl()).schema(schema).nodeName(node).maxConnections(8)
                .catchUpInterval(Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(3)).build();
    }

    /** Deletes every row of mailkit's tables in a database's schema (between tests that share the schema). */
    public static void emptyTables(PostgresDatabase db) {
        try (Connection c = db.connection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE mk_message, mk_expunged, mk_content, mk_chunk, mk_body, mk_mailbox, mk_subscription, "
                    + "mk_account CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty " + db.schema() + ": " + e.getMessage(), e);
        }
    }

    /** Runs SQL as the superuser. */
    public void sql(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server (fast shutdown: clients are disconnected), for fault tests. */
    public void stopServer() {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w",
                "stop"));
    }

    /** Starts the server again after {@link #stopServer()}. */
    public void startServer() {
        run(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("log").toString(), "-w", "-o", "-p " + port + " -k " + dir
                        + " -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on", "start"));
    }

    private void run(List<String> command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static PostgresCluster start() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            ExternalTool.require(BIN.resolve("initdb").toString());
        }
        try {
            boolean root = "root".equals(System.getProperty("user.name"));
            Path dir = Files.createTempDirectory("mailkit-pg");
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            PostgresCluster c = new PostgresCluster(dir, port, root);
            if (root) {
                new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start().waitFor();
            }
            c.run(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "--auth=trust",
                    "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"));
            c.startServer();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    c.stopServer();
                } catch (RuntimeException ignored) {
                    // already stopped
                }
                deleteTree(dir);
            }));
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    /** Starts the cluster once per JVM. */
    private static final class Holder {
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private PostgresCluster cluster;

        PostgresCluster get() {
            lock.lock();
            try {
                if (cluster == null) {
                    cluster = start();
                }
                return cluster;
            } finally {
                lock.unlock();
            }
        }
    }
}
