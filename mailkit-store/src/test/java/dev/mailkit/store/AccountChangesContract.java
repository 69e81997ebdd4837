package dev.mailkit.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract, part 0: the account's numbered change stream ({@link AccountChanges}, what IMAP NOTIFY's
 * MailboxName, SubscriptionChange and METADATA events come from), a part of {@link MailStoreContractTest}.
 */
public abstract class AccountChangesContract extends MailStoreFixture {
    private static AccountChange change(long seq, AccountChange.Kind kind, String mailbox, String old, String entry) {
        return new AccountChange(seq, kind, mailbox == null ? null : MailboxName.of(mailbox),
                old == null ? null : MailboxName.of(old), entry);
    }

    @Test
    void everyHierarchySubscriptionAndMetadataChangeIsNumberedInOrder() {
        AccountChanges ch = ann.changes().orElseThrow();
        long s = ch.sequence();
        assertThat(ch.since(s)).contains(List.of());
        ann.create(name("Work"));
        ann.create(name("Work.Q1"));
        ann.subscribe(name("Work.Q1"));
        ann.rename(name("Work"), name("Done"));
        ann.metadata().orElseThrow().set(name("Done"), Map.of("/private/comment", "c".getBytes()));
        ann.metadata().orElseThrow().set(null, Map.of("/shared/admin", "a".getBytes()));
        ann.unsubscribe(name("Done.Q1"));
        ann.delete(name("Done.Q1"));
        assertThat(ch.since(s).orElseThrow()).containsExactly(
                change(s + 1, AccountChange.Kind.CREATED, "Work", null, null),
                change(s + 2, AccountChange.Kind.CREATED, "Work.Q1", null, null),
                change(s + 3, AccountChange.Kind.SUBSCRIBED, "Work.Q1", null, null),
                change(s + 4, AccountChange.Kind.RENAMED, "Done", "Work", null),
                change(s + 5, AccountChange.Kind.RENAMED, "Done.Q1", "Work.Q1", null),
                change(s + 6, AccountChange.Kind.UNSUBSCRIBED, "Work.Q1", null, null),
                change(s + 7, AccountChange.Kind.SUBSCRIBED, "Done.Q1", null, null),
                change(s + 8, AccountChange.Kind.METADATA, "Done", null, "/private/comment"),
                change(s + 9, AccountChange.Kind.METADATA, null, null, "/shared/admin"),
                change(s + 10, AccountChange.Kind.UNSUBSCRIBED, "Done.Q1", null, null),
                change(s + 11, AccountChange.Kind.DELETED, "Done.Q1", null, null));
        assertThat(ch.sequence()).isEqualTo(s + 11);
        assertThat(ch.since(s + 9).orElseThrow()).extracting(AccountChange::sequence).containsExactly(s + 10, s + 11);
        assertThat(ch.since(s + 11)).contains(List.of());
    }

    @Test
    void refusedChangesAndRepeatedSubscriptionsAreNotChanges() {
        AccountChanges ch = ann.changes().orElseThrow();
        ann.create(name("Work"));
        ann.subscribe(name("Work"));
        long s = ch.sequence();
        assertThatThrownBy(() -> ann.create(name("Work"))).isInstanceOf(MailStoreException.class);
        assertThatThrownBy(() -> ann.delete(name("Nope"))).isInstanceOf(MailStoreException.class);
        assertThatThrownBy(() -> ann.delete(MailboxName.INBOX)).isInstanceOf(MailStoreException.class);
        assertThatThrownBy(() -> ann.rename(name("Work"), name("Work.Inside"))).isInstanceOf(MailStoreException.class);
        ann.subscribe(name("Work"));
        ann.unsubscribe(name("Never"));
        assertThat(ch.sequence()).isEqualTo(s);
        assertThat(ch.since(s)).contains(List.of());
    }

    @Test
    void renamingInboxIsTheCreationOfItsNewName() {
        AccountChanges ch = ann.changes().orElseThrow();
        long s = ch.sequence();
        ann.rename(MailboxName.INBOX, name("Old"));
        assertThat(ch.since(s).orElseThrow()).containsExactly(change(s + 1, AccountChange.Kind.CREATED, "Old", null,
                null));
    }

    @Test
    void aListenerHearsAChangeAndAnotherAccountsChangesAreNotItsOwn() throws Exception {
        AccountChanges ch = ann.changes().orElseThrow();
        CountDownLatch heard = new CountDownLatch(1);
        Runnable listener = heard::countDown;
        ch.addListener(listener);
        try {
            MailAccount bob = store.account(dev.mailkit.core.MailAddress.parse("bob@example.com"));
            long s = ch.sequence();
            bob.create(name("Bobs"));
            assertThat(ch.since(s)).contains(List.of());
            ann.create(name("Anns"));
            assertThat(heard.await(10, TimeUnit.SECONDS)).as("the listener ran").isTrue();
            assertThat(ch.since(s).orElseThrow()).extracting(AccountChange::mailbox).containsExactly(name("Anns"));
        } finally {
            ch.removeListener(listener);
        }
    }
}
