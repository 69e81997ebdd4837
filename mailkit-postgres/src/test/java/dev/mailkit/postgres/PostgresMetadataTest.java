package dev.mailkit.postgres;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.MetadataContractTest;
import dev.mailkit.store.MetadataLimits;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL store keeps metadata in {@code mk_metadata}, on a real PostgreSQL 15: each test on a new schema; a
 * restart is a new store (and pool) on the same schema.
 */
class PostgresMetadataTest extends MetadataContractTest {
    private final List<PostgresDatabase> databases = new ArrayList<>();
    private String schema;

    @Override
    protected MailStore createStore(MetadataLimits limits, boolean again) {
        PostgresCluster cluster = PostgresCluster.get();
        if (!again) {
            schema = cluster.newSchema();
        }
        PostgresDatabase db = cluster.database(schema, "node" + databases.size());
        databases.add(db);
        return PostgresMailStore.builder(db).metadataLimits(limits).build();
    }

    @AfterEach
    void closeDatabases() {
        for (PostgresDatabase db : databases) {
            db.close();
        }
    }
}
