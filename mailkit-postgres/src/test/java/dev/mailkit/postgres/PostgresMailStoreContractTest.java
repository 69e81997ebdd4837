package dev.mailkit.postgres;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The PostgreSQL store fulfils the contract of every store, on a real PostgreSQL 15: one schema (migrated by the
 * store's own migrations) for the class, emptied before each test.
 */
class PostgresMailStoreContractTest extends MailStoreContractTest {
    private static PostgresDatabase shared;
    private boolean emptied;

    @Override
    protected MailStore createStore(Settings s) {
        if (shared == null) {
            shared = PostgresCluster.get().newDatabase("contract");
        }
        if (!emptied) {
            PostgresCluster.emptyTables(shared);
            emptied = true;
        }
        return PostgresMailStore.builder(shared).clock(s.clock()).quota(s.quota())
                .maxKeywordsPerMailbox(s.maxKeywordsPerMailbox()).maxMailboxesPerAccount(s.maxMailboxesPerAccount())
                .build();
    }

    /** Save dates come from the database's clock (the same on every node), not the store's. */
    @Override
    protected boolean saveDatesFollowClock() {
        return false;
    }

    @AfterAll
    static void closeDatabase() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }
}
