package dev.mailkit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailkit.postgres.internal.Db;
import dev.mailkit.postgres.internal.Notifications;
import org.flywaydb.core.Flyway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One PostgreSQL database as a mailkit node uses it: a connection pool (HikariCP), the schema its tables live in
 * (created and migrated by Flyway from the migrations in this jar), the node's name, and one listening connection
 * through which the node hears of other nodes' changes ({@code LISTEN/NOTIFY}). {@link PostgresMailStore} (and the other
 * PostgreSQL parts of mailkit) work on it; any number of nodes (JVMs) may use one database at once.
 *
 * <pre>{@code
 * try (PostgresDatabase db = PostgresDatabase.builder("jdbc:postgresql://db.internal/mail")
 *         .user("mailkit").password(secret).nodeName("mx1").build();
 *      PostgresMailStore store = PostgresMailStore.builder(db).build()) {
 *     ... // SMTP, IMAP and POP3 servers over the store
 * }
 * }</pre>
 *
 * <p>Building connects and, unless {@link Builder#migrate(boolean) migrate(false)}, brings the schema up to date
 * (Flyway takes a lock in the database, so nodes starting together migrate once). When the database goes away later,
 * operations fail with temporary errors and the pool and the listening connection reconnect by themselves.
 *
 * <p>Thread-safe. {@link #close()} closes the pool; close the stores first.
 */
public final class PostgresDatabase implements AutoCloseable {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    private final HikariDataSource pool;
    private final Db db;
    private final Notifications notifications;
    private final ExecutorService executor;
    private final String jdbcUrl;

    private PostgresDatabase(Builder b) {
        this.jdbcUrl = b.jdbcUrl;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(b.jdbcUrl);
        config.setUsername(b.user);
        config.setPassword(b.password);
        config.setSchema(b.schema);
        config.setMaximumPoolSize(b.maxConnections);
        config.setMinimumIdle(Math.min(2, b.maxConnections));
        config.setConnectionTimeout(b.connectTimeout.toMillis());
        config.setValidationTimeout(Math.min(b.connectTimeout.toMillis(), 2000));
        config.setPoolName("mailkit-" + b.nodeName);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "mailkit " + b.nodeName);
        this.pool = new HikariDataSource(config);
        try {
            if (b.migrate) {
                migrate(pool, b.schema);
            }
            Properties props = new Properties();
            if (b.user != null) {
                props.setProperty("user", b.user);
            }
            if (b.password != null) {
                props.setProperty("password", b.password);
            }
            props.setProperty("connectTimeout", String.valueOf(Math.max(1, b.connectTimeout.toSeconds())));
            props.setProperty("tcpKeepAlive", "true");
            props.setProperty("ApplicationName", "mailkit " + b.nodeName + " listen");
            String url = b.jdbcUrl;
            this.notifications = new Notifications(() -> DriverManager.getConnection(url, props),
                    List.of(b.schema + "_mailbox", b.schema + "_account", b.schema + "_queue"), b.catchUpInterval);
            this.executor = new ThreadPoolExecutor(0, 64, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    new Daemons(b.nodeName), new ThreadPoolExecutor.CallerRunsPolicy());
            this.db = new Db(pool, b.schema, b.nodeName, notifications, executor);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void migrate(javax.sql.DataSource ds, String schema) {
        Flyway.configure(PostgresDatabase.class.getClassLoader())
                .dataSource(ds)
                .schemas(schema)
                .locations("classpath:dev/mailkit/postgres/migration")
                .table("mk_schema_history")
                .load()
                .migrate();
    }

    /** A builder for a database at a JDBC URL ({@code jdbc:postgresql://host:port/database?...}). */
    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    /** Brings the schema up to date now (building does it unless told not to). Idempotent. */
    public void migrate() {
        migrate(pool, db.schema());
    }

    /** The node's name (in the tables it writes, such as the relay queue's leases, and in logs). */
    public String nodeName() {
        return db.nodeName();
    }

    /** The schema mailkit's tables are in. */
    public String schema() {
        return db.schema();
    }

    /** The JDBC URL. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** A connection from the pool, for an application's own queries and for tests. Close it when done. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Whether the node hears other nodes' changes right now (the listening connection is up). */
    public boolean isListening() {
        return notifications.isListening();
    }

    Db db() {
        return db;
    }

    /** Stops listening and closes the pool. Idempotent. */
    @Override
    public void close() {
        notifications.close();
        executor.shutdown();
        pool.close();
    }

    @Override
    public String toString() {
        return "PostgresDatabase{" + jdbcUrl + ", schema " + db.schema() + ", node " + db.nodeName() + "}";
    }

    private static final class Daemons implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();
        private final String node;

        Daemons(String node) {
            this.node = node;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mailkit-postgres-" + node + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * Configures a {@link PostgresDatabase}. Defaults: no user or password (the driver's, or the URL's); schema
     * {@code mailkit}; 10 connections; 5 s to get a connection before an operation fails temporarily; catch-up reads
     * every 2 s; node name: host name and process id; migrate at start. Not thread-safe.
     */
    public static final class Builder {
        private final String jdbcUrl;
        private String user;
        private String password;
        private String schema = "mailkit";
        private int maxConnections = 10;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration catchUpInterval = Duration.ofSeconds(2);
        private String nodeName;
        private boolean migrate = true;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        }

        /** The database user. */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** The user's password. */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** The schema for mailkit's tables (lower-case letters, digits and {@code _}; default {@code mailkit}). */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** The most pooled connections (default 10; the listening connection is one more). */
        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        /**
         * How long an operation waits for a connection before it fails with a temporary error (default 5 s): while
         * the database is down, SMTP answers 4xx, IMAP {@code NO [UNAVAILABLE]}, POP3 {@code -ERR [SYS/TEMP]} after
         * this long.
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * How often the node reads what other nodes changed even without a notification (default 2 s): the upper
         * bound of the delay a lost notification causes.
         */
        public Builder catchUpInterval(Duration interval) {
            this.catchUpInterval = interval;
            return this;
        }

        /** This node's name (letters, digits, {@code .-_}; default: host name and process id). */
        public Builder nodeName(String name) {
            this.nodeName = name;
            return this;
        }

        /** Whether building brings the schema up to date (default true). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Connects (and migrates).
         *
         * @throws IllegalStateException if a setting is out of range
         * @throws RuntimeException      (from the pool or Flyway) if the database cannot be reached or migrated
         */
        public PostgresDatabase build() {
            if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalStateException("the JDBC URL must start with jdbc:postgresql:, was " + jdbcUrl);
            }
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalStateException("schema must be lower-case letters, digits and _ (at most 41), was "
                        + schema);
            }
            if (maxConnections < 2 || maxConnections > 1000) {
                throw new IllegalStateException("maxConnections must be between 2 and 1000, was " + maxConnections);
            }
            if (connectTimeout == null || connectTimeout.toMillis() < 250) {
                throw new IllegalStateException("connectTimeout must be at least 250 ms, was " + connectTimeout);
            }
            if (catchUpInterval == null || catchUpInterval.toMillis() < 10) {
                throw new IllegalStateException("catchUpInterval must be at least 10 ms, was " + catchUpInterval);
            }
            if (nodeName == null) {
                nodeName = defaultNodeName();
            }
            if (!nodeName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalStateException("nodeName must be 1 to 64 letters, digits, '.', '-' or '_', was "
                        + nodeName);
            }
            return new PostgresDatabase(this);
        }

        private static String defaultNodeName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "node";
            }
            String n = (host + "-" + ProcessHandle.current().pid()).replaceAll("[^A-Za-z0-9._-]", "_");
            return n.length() > 64 ? n.substring(0, 64) : n;
        }
    }
}
