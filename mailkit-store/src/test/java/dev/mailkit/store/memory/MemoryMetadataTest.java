package dev.mailkit.store.memory;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.MetadataContractTest;
import dev.mailkit.store.MetadataLimits;

/** The memory store keeps metadata (for as long as it lives). */
class MemoryMetadataTest extends MetadataContractTest {
    @Override
    protected MailStore createStore(MetadataLimits limits, boolean again) {
        return MemoryMailStore.builder().metadataLimits(limits).build();
    }

    @Override
    protected boolean durable() {
        return false;
    }
}
