package dev.mailkit.store.maildir;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.StoreModelRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * Model-based check of the Maildir store ({@link StoreModelRun}): seeded random appends, flag changes, expunges,
 * copies and moves against the in-memory reference, with clean restarts of the Maildir store in between; after every
 * step the Maildir store, and the Maildir store read back after a restart, must hold what the reference holds.
 */
class MaildirModelTest {
    @TempDir
    Path dir;

    @Test
    void randomOperationsLeaveTheMaildirStoreWhereTheReferenceIs() {
        for (long seed = 1; seed <= Long.getLong("fuzz.seeds", 8); seed++) {
            Path root = dir.resolve("s" + seed);
            MailStore[] store = {MaildirMailStore.builder(root).build()};
            try {
                StoreModelRun.run(seed, 60, List.of("$Label1", "Work", "todo"), new StoreModelRun.Nodes() {
                    @Override
                    public int count() {
                        return 1;
                    }

                    @Override
                    public MailStore node(int i) {
                        return store[0];
                    }

                    @Override
                    public void restart(int i) {
                        store[0].close();
                        store[0] = MaildirMailStore.builder(root).build();
                    }
                });
            } finally {
                store[0].close();
            }
        }
    }
}
