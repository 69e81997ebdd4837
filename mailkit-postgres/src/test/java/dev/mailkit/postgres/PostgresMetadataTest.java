package dev.mailkit.postgres;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MetadataContractTest;
import dev.mailkit.store.MetadataException;
import dev.mailkit.store.MetadataLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL store keeps metadata in {@code mk_metadata}, on a real PostgreSQL 15: each test on a new schema; a
 * restart is a new store (and pool) on the same schema.
 */
class PostgresMetadataTest extends MetadataContractTest {
    private static final AccountId ANN = AccountId.parse("ann@example.com");
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

    /** What one node sets, another reads at once; the limit counts both nodes' entries. */
    @Test
    void twoNodesShareEntriesAndTheLimit() {
        PostgresCluster cluster = PostgresCluster.get();
        String shared = cluster.newSchema();
        PostgresDatabase dbA = cluster.database(shared, "node-a");
        PostgresDatabase dbB = cluster.database(shared, "node-b");
        databases.add(dbA);
        databases.add(dbB);
        MetadataLimits two = new MetadataLimits(2, 100, 1000);
        try (PostgresMailStore a = PostgresMailStore.builder(dbA).metadataLimits(two).build();
             PostgresMailStore b = PostgresMailStore.builder(dbB).metadataLimits(two).build()) {
            AccountMetadata onA = a.account(ANN).metadata().orElseThrow();
            AccountMetadata onB = b.account(ANN).metadata().orElseThrow();
            a.account(ANN).create(MailboxName.of("Shared"));
            onA.set(MailboxName.of("Shared"), Map.of("/shared/comment", "from a".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(onB.entries(MailboxName.of("Shared")).get("/shared/comment"),
                    StandardCharsets.UTF_8)).isEqualTo("from a");
            onB.set(null, Map.of("/private/b", new byte[] {1}));
            assertThatThrownBy(() -> onA.set(null, Map.of("/private/a", new byte[] {2})))
                    .isInstanceOfSatisfying(MetadataException.class,
                            e -> assertThat(e.kind()).isEqualTo(MetadataException.Kind.TOO_MANY));
            b.account(ANN).rename(MailboxName.of("Shared"), MailboxName.of("Moved"));
            assertThat(onA.entries(MailboxName.of("Moved"))).containsOnlyKeys("/shared/comment");
            b.account(ANN).delete(MailboxName.of("Moved"));
            onA.set(null, Map.of("/private/a", new byte[] {2}));
            assertThat(onB.entries(null)).containsOnlyKeys("/private/a", "/private/b");
        }
    }

    @AfterEach
    void closeDatabases() {
        for (PostgresDatabase db : databases) {
            db.close();
        }
    }
}
