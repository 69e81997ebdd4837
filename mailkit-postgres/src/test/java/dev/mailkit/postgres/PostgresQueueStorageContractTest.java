package dev.mailkit.postgres;

import dev.mailkit.relay.spi.QueueStorage;
import dev.mailkit.relay.spi.QueueStorageContract;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * The relay queue in PostgreSQL fulfils the contract of every queue storage, on a real PostgreSQL 15: a schema of its
 * own per test; a restart closes the storage and builds a new one on the same schema under the same node name.
 */
class PostgresQueueStorageContractTest extends QueueStorageContract {
    private final List<PostgresDatabase> databases = new ArrayList<>();
    private PostgresDatabase db;

    @Override
    protected QueueStorage open() {
        db = PostgresCluster.get().newDatabase("contract");
        databases.add(db);
        return PostgresQueueStorage.builder(db).build();
    }

    @Override
    protected QueueStorage reopen(QueueStorage storage) {
        storage.close();
        return PostgresQueueStorage.builder(db).build();
    }

    @AfterEach
    void closeDatabases() {
        databases.forEach(PostgresDatabase::close);
    }
}
