package dev.mailkit.relay.spi;

import dev.mailkit.relay.internal.DiskStorage;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The {@link QueueStorageContract} for the built-in disk storage: a queue directory. */
class DiskStorageContractTest extends QueueStorageContract {
    @TempDir
    Path dir;

    @Override
    protected QueueStorage open() throws Exception {
        return new DiskStorage(dir);
    }

    @Override
    protected QueueStorage reopen(QueueStorage storage) throws Exception {
        storage.close();
        return new DiskStorage(dir);
    }
}
