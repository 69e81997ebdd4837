package dev.mailkit.store.memory;

import dev.mailkit.core.MailAddress;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreContractTest;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemoryMailStoreTest extends MailStoreContractTest {
    @Override
    protected MailStore createStore(Settings s) {
        return MemoryMailStore.builder().clock(s.clock()).quota(s.quota())
                .maxKeywordsPerMailbox(s.maxKeywordsPerMailbox()).maxMailboxesPerAccount(s.maxMailboxesPerAccount())
                .build();
    }

    @Test
    void standardMailboxesAreCreatedWithTheirSpecialUses() {
        try (MemoryMailStore s = MemoryMailStore.builder().standardMailboxes().specialUse("Sent")
                .specialUse("Sent Items", SpecialUse.SENT).autoCreate("Sent Items").build()) {
            MailAccount a = s.account(MailAddress.parse("x@example.com"));
            assertThat(a.list()).extracting(i -> i.name().toString())
                    .containsExactly("INBOX", "Archive", "Drafts", "Junk", "Sent", "Sent Items", "Trash");
            assertThat(a.list()).filteredOn(i -> i.name().toString().equals("Sent"))
                    .extracting(MailboxInfo::specialUse).containsExactly(Set.of());
            assertThat(a.list()).filteredOn(i -> i.name().toString().equals("Drafts"))
                    .extracting(MailboxInfo::specialUse).containsExactly(Set.of(SpecialUse.DRAFTS));
            assertThat(s.accounts()).extracting(Object::toString).containsExactly("x@example.com");
        }
    }

    @Test
    void builderRefusesBadLimits() {
        assertThatThrownBy(() -> MemoryMailStore.builder().maxMailboxesPerAccount(0).build())
                .hasMessageContaining("maxMailboxesPerAccount");
        assertThatThrownBy(() -> MemoryMailStore.builder().maxKeywordsPerMailbox(-1).build())
                .hasMessageContaining("maxKeywordsPerMailbox");
        assertThatThrownBy(() -> MemoryMailStore.builder().standardMailboxes().maxMailboxesPerAccount(3).build())
                .hasMessageContaining("raise the limit");
    }

    @Test
    void closedStoreRefusesUse() {
        MemoryMailStore s = MemoryMailStore.create();
        s.account(MailAddress.parse("x@example.com")).create(MailboxName.of("Box"));
        s.close();
        assertThatThrownBy(() -> s.account(MailAddress.parse("x@example.com")))
                .isInstanceOf(IllegalStateException.class);
        assertThat(List.of(s.toString())).isNotEmpty();
    }

    @org.junit.jupiter.api.Test
    void aSessionFurtherBehindThanTheKeptHistoryIsToldSo() {
        dev.mailkit.store.AccountChanges ch = ann.changes().orElseThrow();
        long s = ch.sequence();
        for (int i = 0; i < dev.mailkit.store.internal.AccountChangeLog.HISTORY / 2 + 1; i++) {
            ann.subscribe(name("X"));
            ann.unsubscribe(name("X"));
        }
        org.assertj.core.api.Assertions.assertThat(ch.since(s)).isEmpty();
        org.assertj.core.api.Assertions.assertThat(ch.since(ch.sequence() - 10).orElseThrow()).hasSize(10);
    }
}
