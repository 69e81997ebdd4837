package dev.mailkit.store.maildir;

import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MetadataContractTest;
import dev.mailkit.store.MetadataLimits;
import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Maildir store keeps metadata in the account's {@code mailkit-metadata} file (fsync on, as in production). */
class MaildirMetadataTest extends MetadataContractTest {
    @TempDir
    Path data;
    private int stores;

    @Override
    protected MailStore createStore(MetadataLimits limits, boolean again) {
        if (!again) {
            stores++;
        }
        return MaildirMailStore.builder(data.resolve("mail" + stores)).metadataLimits(limits).build();
    }

    @Test
    void aDamagedLineIsSkippedAndTheRestLoads() throws Exception {
        Path root = data.resolve("broken");
        try (MaildirMailStore s = MaildirMailStore.builder(root).build()) {
            s.account(MailAddress.parse("bob@example.com")).metadata().orElseThrow()
                    .set(null, Map.of("/private/a", "1".getBytes(StandardCharsets.UTF_8)));
        }
        Path file;
        try (var walk = Files.walk(root)) {
            file = walk.filter(p -> p.getFileName().toString().equals("mailkit-metadata")).findFirst().orElseThrow();
        }
        Files.writeString(file, Files.readString(file) + "S\t/private/b\t!!not base64!!\ngarbage\n");
        try (MaildirMailStore s = MaildirMailStore.builder(root).build()) {
            MailAccount bob = s.account(MailAddress.parse("bob@example.com"));
            AccountMetadata md = bob.metadata().orElseThrow();
            assertThat(md.entries(null).keySet()).containsExactly("/private/a");
        }
    }
}
