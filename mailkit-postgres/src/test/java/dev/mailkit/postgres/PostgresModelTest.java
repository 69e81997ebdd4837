package dev.mailkit.postgres;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.StoreModelRun;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Model-based check of the PostgreSQL store with two nodes on one database ({@link StoreModelRun}): seeded random
 * appends, flag changes (with a keyword that tries SQL injection), expunges, copies and moves, each made on a node
 * chosen at random, with restarts of a node in between; after every step both nodes must hold what the in-memory
 * reference holds, each having learnt the other's changes from the database.
 */
class PostgresModelTest {
    private static final List<String> KEYWORDS = List.of("$Label1", "Work", "todo", "it's;DROP_TABLE_mk_message;--'");

    @Test
    void randomOperationsOnTwoNodesLeaveBothWhereTheReferenceIs() {
        for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 4); seed++) {
            PostgresCluster cluster = PostgresCluster.get();
            String schema = cluster.newSchema();
            PostgresDatabase[] dbs = {cluster.database(schema, "a"), cluster.database(schema, "b")};
            MailStore[] nodes = {PostgresMailStore.builder(dbs[0]).build(), PostgresMailStore.builder(dbs[1]).build()};
            try {
                StoreModelRun.run(seed, 50, KEYWORDS, new StoreModelRun.Nodes() {
                    @Override
                    public int count() {
                        return nodes.length;
                    }

                    @Override
                    public MailStore node(int i) {
                        return nodes[i];
                    }

                    @Override
                    public void restart(int i) {
                        nodes[i].close();
                        nodes[i] = PostgresMailStore.builder(dbs[i]).build();
                    }
                });
            } finally {
                for (MailStore s : nodes) {
                    s.close();
                }
                for (PostgresDatabase db : dbs) {
                    db.close();
                }
            }
        }
    }
}
