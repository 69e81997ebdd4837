package dev.mailkit.store.maildir;

import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The Maildir store fulfils the contract of every store (with fsync on, as in production). */
class MaildirMailStoreContractTest extends MailStoreContractTest {
    @TempDir
    Path data;
    private int stores;

    @Override
    protected MailStore createStore(Settings s) {
        return MaildirMailStore.builder(data.resolve("mail" + stores++)).clock(s.clock()).quota(s.quota())
                .maxKeywordsPerMailbox(s.maxKeywordsPerMailbox()).maxMailboxesPerAccount(s.maxMailboxesPerAccount())
                .build();
    }
}
