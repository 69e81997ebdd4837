package dev.mailkit.imap;

import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.store.MailStore;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;

/**
 * mailkit-imap's {@link CatenateTest} on {@link PostgresMailStore}: the same CATENATE appends, refusals and
 * all-or-nothing MULTIAPPENDs, with the messages and sections read from PostgreSQL through the MailStore SPI. (In
 * package {@code dev.mailkit.imap} to extend the package-private test from mailkit-imap's test jar.)
 */
class PostgresCatenateTest extends CatenateTest {
    private PostgresDatabase database;

    @Override
    MailStore newStore(Path root) {
        PostgresCluster pg = PostgresCluster.get();
        database = pg.database(pg.newSchema(), "catenate");
        return PostgresMailStore.builder(database).build();
    }

    @AfterEach
    void closeDatabase() {
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
