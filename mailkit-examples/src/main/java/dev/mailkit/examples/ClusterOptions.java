package dev.mailkit.examples;

import dev.mailkit.core.Cidr;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.server.ProxyProtocol;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.postgres.PostgresUserDirectory;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runnable server's options for running several nodes: {@code --db-url} (with {@code --store postgres}: mailboxes
 * and users in that PostgreSQL database), {@code --db-user}, {@code --db-password}, {@code --node-name},
 * {@code --proxy-protocol-from CIDR} (repeatable: the load balancers allowed to send PROXY protocol headers). They
 * are taken out of the command line before {@link ServerOptions} reads the rest. Immutable.
 *
 * @param dbUrl      the JDBC URL, or null
 * @param dbUser     the database user, or null
 * @param dbPassword the database password, or null
 * @param dbSchema   the schema of mailkit's tables, or null for {@code mailkit}
 * @param nodeName   this node's name, or null for the default (host name and process id)
 * @param proxies    the PROXY protocol's proxy networks (empty: none)
 */
record ClusterOptions(String dbUrl, String dbUser, String dbPassword, String dbSchema, String nodeName,
                      List<String> proxies) {
    static final List<String> HELP = List.of(
            "  --store postgres         mailboxes and users in PostgreSQL (--db-url): any number of nodes on one",
            "                           database serve any user; --user, --domain add to its tables",
            "  --db-url JDBC_URL        the database, e.g. jdbc:postgresql://db.internal:5432/mail",
            "  --db-user USER           the database user (or in the URL)",
            "  --db-password PW         the database password (or in the URL)",
            "  --db-schema NAME         the schema of mailkit's tables (default mailkit)",
            "  --node-name NAME         this node's name in logs and the database (default: host name and pid)",
            "  --proxy-protocol-from CIDR  a load balancer that sends the PROXY protocol (v1 or v2) on every port,",
            "                           repeatable; only these may send it, and they must");

    ClusterOptions {
        proxies = List.copyOf(proxies);
    }

    /** Takes this record's options out of {@code args} (what is left is for {@link ServerOptions}). */
    static ClusterOptions extract(List<String> args) throws ServerOptions.UsageException {
        String url = null;
        String user = null;
        String password = null;
        String schema = null;
        String node = null;
        List<String> proxies = new ArrayList<>();
        for (int i = 0; i < args.size(); ) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (!List.of("--db-url", "--db-user", "--db-password", "--db-schema", "--node-name",
                    "--proxy-protocol-from")
                    .contains(name)) {
                i++;
                continue;
            }
            args.remove(i);
            if (value == null) {
                if (i >= args.size()) {
                    throw new ServerOptions.UsageException(name + " needs a value");
                }
                value = args.remove(i);
            }
            switch (name) {
                case "--db-url" -> {
                    if (!value.startsWith("jdbc:postgresql:")) {
                        throw new ServerOptions.UsageException("--db-url must be a jdbc:postgresql: URL, was '"
                                + value + "'");
                    }
                    url = value;
                }
                case "--db-user" -> user = value;
                case "--db-password" -> password = value;
                case "--db-schema" -> {
                    if (!value.matches("[a-z_][a-z0-9_]{0,40}")) {
                        throw new ServerOptions.UsageException("--db-schema must be lower-case letters, digits and "
                                + "'_', was '" + value + "'");
                    }
                    schema = value;
                }
                case "--node-name" -> {
                    if (!value.matches("[A-Za-z0-9._-]{1,64}")) {
                        throw new ServerOptions.UsageException("--node-name must be 1 to 64 letters, digits, '.', "
                                + "'-' or '_', was '" + value + "'");
                    }
                    node = value;
                }
                default -> {
                    try {
                        Cidr.parse(value.contains("/") ? value : value + (value.contains(":") ? "/128" : "/32"));
                    } catch (IllegalArgumentException e) {
                        throw new ServerOptions.UsageException("--proxy-protocol-from: " + e.getMessage());
                    }
                    proxies.add(value);
                }
            }
        }
        return new ClusterOptions(url, user, password, schema, node, proxies);
    }

    /** The PROXY protocol's configuration, or null. */
    ProxyProtocol proxyProtocol() {
        return proxies.isEmpty() ? null : ProxyProtocol.from(proxies.toArray(new String[0]));
    }

    /** What {@code --store postgres} makes: the store (closing it closes the database) and the users. */
    record Postgres(MailStore store, PostgresUserDirectory users, List<String> domains) {
    }

    /**
     * Connects (migrating the schema), adds the {@code --user}s (or sets their passwords) and {@code --domain}s to the
     * tables, and returns the store, the directory and every local domain in the database.
     */
    Postgres openPostgres(Map<String, String> users, List<String> domains) {
        PostgresDatabase.Builder b = PostgresDatabase.builder(dbUrl).user(dbUser).password(dbPassword);
        if (nodeName != null) {
            b.nodeName(nodeName);
        }
        if (dbSchema != null) {
            b.schema(dbSchema);
        }
        PostgresDatabase db = b.build();
        try {
            PostgresMailStore pg = PostgresMailStore.builder(db).standardMailboxes().build();
            PostgresUserDirectory directory = PostgresUserDirectory.builder(db).build();
            for (String d : domains) {
                directory.addDomain(d);
            }
            users.forEach((address, pw) -> {
                if (!directory.setPassword(address, pw.toCharArray())) {
                    directory.addUser(address, MailAddress.parse(address), pw.toCharArray());
                }
            });
            MailStore store = new MailStore() {
                @Override
                public MailAccount account(AccountId id) {
                    return pg.account(id);
                }

                @Override
                public void close() {
                    try {
                        pg.close();
                    } finally {
                        db.close();
                    }
                }

                @Override
                public String toString() {
                    return pg + " in " + db;
                }
            };
            return new Postgres(store, directory, directory.domains());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
