package dev.mailkit.imap;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.memory.MemoryMailStore;

import java.nio.file.Path;

/** {@link CatenateTest} on the memory store. */
class MemoryCatenateTest extends CatenateTest {
    @Override
    MailStore newStore(Path root) {
        return MemoryMailStore.builder().build();
    }
}
