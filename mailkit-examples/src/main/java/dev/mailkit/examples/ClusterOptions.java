package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.server.ProxyProtocol;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.postgres.PostgresQueueStorage;
import dev.mailkit.postgres.PostgresSieveScripts;
import dev.mailkit.postgres.PostgresUserDirectory;
import dev.mailkit.sieve.SieveScriptStore;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.store.MailStore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The runnable server's options for running several nodes: {@code --db-url} (with {@code --store postgres}: mailboxes,
 * users, the relay queue and users' Sieve scripts in that PostgreSQL database), {@code --db-user},
 * {@code --db-password}, {@code --node-name}, {@code --queue-lease SECONDS},
 * {@code --proxy-protocol-from CIDR} (repeatable: the load balancers allowed to send PROXY protocol headers), as
 * {@link ServerOptions} read them (flags or the configuration file's {@code cluster} section). Immutable.
 *
 * @param dbUrl      the JDBC URL, or null
 * @param dbUser     the database user, or null
 * @param dbPassword the database password, or null
 * @param dbSchema   the schema of mailkit's tables, or null for {@code mailkit}
 * @param nodeName   this node's name, or null for the default (host name and process id)
 * @param queueLease the relay queue's lease in seconds ({@code PostgresQueueStorage.Builder.lease})
 * @param proxies    the PROXY protocol's proxy networks (empty: none)
 */
record ClusterOptions(String dbUrl, String dbUser, String dbPassword, String dbSchema, String nodeName,
                      int queueLease, List<String> proxies) {
    ClusterOptions {
        proxies = List.copyOf(proxies);
    }

    /** The PROXY protocol's configuration, or null. */
    ProxyProtocol proxyProtocol() {
        return proxies.isEmpty() ? null : ProxyProtocol.from(proxies.toArray(new String[0]));
    }

    /**
     * What {@code --store postgres} makes: the store (closing it closes the database), the users, users' Sieve
     * scripts, and the relay queue's storage (the relay queue closes it; close the relay before the store).
     */
    record Postgres(MailStore store, PostgresUserDirectory users, List<String> domains, SieveScriptStore sieve,
                    QueueStorage queue) {
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
            return new Postgres(store, directory, directory.domains(), PostgresSieveScripts.of(db),
                    PostgresQueueStorage.builder(db).lease(Duration.ofSeconds(queueLease)).build());
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
