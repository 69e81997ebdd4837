package dev.mailkit.store;

import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store contract, part 3: views, flags, expunge, copy and move, and how sessions hear of each other's changes (a
 * part of {@link MailStoreContractTest}).
 */
public abstract class ViewContract extends MessageContract {
    // ================================================================================================ views

    @Test
    void viewMapsSequenceNumbersToUids() {
        Mailbox inbox = inbox();
        appendN(inbox, 5);
        MailboxView setup = view(inbox, ViewMode.READ_WRITE);
        setup.store(UidSet.of(2, 4), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        setup.expunge();
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        assertThat(v.messageCount()).isEqualTo(3);
        assertThat(v.uid(1)).isEqualTo(1);
        assertThat(v.uid(2)).isEqualTo(3);
        assertThat(v.uid(3)).isEqualTo(5);
        assertThat(v.seq(3)).isEqualTo(2);
        assertThat(v.seq(4)).isZero();
        assertThat(v.seqCeiling(2)).isEqualTo(2);
        assertThat(v.seqCeiling(6)).isEqualTo(4);
        assertThat(v.uids(2, 9)).isEqualTo(UidSet.of(3, 5));
        assertThat(v.uids(3, 1)).isEqualTo(UidSet.of(1, 3, 5));
        assertThatThrownBy(() -> v.uid(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> v.uid(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(v.mode()).isEqualTo(ViewMode.READ_WRITE);
        assertThat(v.highestModSeq()).isEqualTo(inbox.status().highestModSeq());
    }

    @Test
    void recentBelongsToTheFirstSessionThatSeesIt() {
        Mailbox inbox = inbox();
        appendN(inbox, 2);
        MailboxView examine = view(inbox, ViewMode.READ_ONLY);
        assertThat(examine.recentCount()).isEqualTo(2);
        assertThat(inbox.status().recent()).isEqualTo(2);

        MailboxView first = view(inbox, ViewMode.READ_WRITE);
        assertThat(first.recentCount()).isEqualTo(2);
        assertThat(first.isRecent(1)).isTrue();
        assertThat(inbox.status().recent()).isZero();
        MailboxView second = view(inbox, ViewMode.READ_WRITE);
        assertThat(second.recentCount()).isZero();

        inbox.append(msg("new"));
        assertThat(inbox.status().recent()).isEqualTo(1);
        MailboxChanges c2 = second.sync();
        assertThat(c2.newMessages()).isEqualTo(1);
        assertThat(c2.recentCount()).isEqualTo(1);
        assertThat(second.isRecent(3)).isTrue();
        MailboxChanges c1 = first.sync();
        assertThat(c1.recentCount()).isEqualTo(2);
        assertThat(first.isRecent(3)).isFalse();
        assertThat(inbox.status().recent()).isZero();
        MailboxView pop = view(inbox, ViewMode.EXCLUSIVE);
        assertThat(pop.recentCount()).isZero();
    }

    @Test
    void firstUnseen() {
        Mailbox inbox = inbox();
        inbox.append(msg("a"), Flags.of(SystemFlag.SEEN), null);
        inbox.append(msg("b"), Flags.of(SystemFlag.SEEN), null);
        inbox.append(msg("c"));
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        assertThat(v.firstUnseen()).isEqualTo(3);
        v.store(UidSet.of(3), FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
        assertThat(v.firstUnseen()).isZero();
    }

    @Test
    void storeAddsRemovesAndReplacesFlags() {
        Mailbox inbox = inbox();
        appendN(inbox, 3);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        long m0 = inbox.status().highestModSeq();

        StoreResult r = v.store(UidSet.range(1, 2), FlagOperation.ADD, flags("\\Seen", "\\Deleted", "$A"));
        assertThat(r.modified()).isEqualTo(UidSet.EMPTY);
        assertThat(r.updates()).extracting(StoreResult.Entry::uid).containsExactly(1L, 2L);
        assertThat(r.updates()).allMatch(StoreResult.Entry::changed);
        long m1 = r.updates().get(0).modSeq();
        assertThat(m1).isGreaterThan(m0);
        assertThat(r.updates().get(1).modSeq()).isEqualTo(m1); // one MODSEQ per operation
        assertThat(inbox.status().highestModSeq()).isEqualTo(m1);
        assertThat(inbox.status().unseen()).isEqualTo(1);
        assertThat(inbox.status().deleted()).isEqualTo(2);

        StoreResult same = v.store(UidSet.of(1), FlagOperation.ADD, flags("\\Seen"));
        assertThat(same.updates().get(0).changed()).isFalse();
        assertThat(same.updates().get(0).modSeq()).isEqualTo(m1);
        assertThat(inbox.status().highestModSeq()).isEqualTo(m1);

        StoreResult rm = v.store(UidSet.of(1), FlagOperation.REMOVE, flags("\\Deleted", "$a", "$Never"));
        assertThat(rm.updates().get(0).flags()).isEqualTo(flags("\\Seen"));
        assertThat(inbox.keywords()).containsExactly("$A"); // removing never defines

        StoreResult rep = v.store(UidSet.of(2, 3), FlagOperation.REPLACE, flags("\\Answered", "$B"));
        assertThat(rep.updates()).extracting(StoreResult.Entry::flags)
                .containsExactly(flags("\\Answered", "$B"), flags("\\Answered", "$B"));
        assertThat(inbox.status().unseen()).isEqualTo(2);
        assertThat(inbox.status().deleted()).isZero();
        assertThat(inbox.message(3).orElseThrow().modSeq()).isEqualTo(rep.updates().get(1).modSeq());
        assertThat(inbox.keywords()).containsExactly("$A", "$B");
    }

    @Test
    void unchangedSinceFailsMessagesChangedLater() {
        Mailbox inbox = inbox();
        appendN(inbox, 3);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        long before = inbox.status().highestModSeq();
        v.store(UidSet.of(2), FlagOperation.ADD, flags("\\Flagged"));

        StoreResult r = v.store(UidSet.range(1, 3), FlagOperation.ADD, flags("\\Seen"), before);
        assertThat(r.modified()).isEqualTo(UidSet.of(2));
        assertThat(r.updates()).extracting(StoreResult.Entry::uid).containsExactly(1L, 3L);
        assertThat(inbox.message(2).orElseThrow().flags()).isEqualTo(flags("\\Flagged"));

        StoreResult none = v.store(UidSet.range(1, 3), FlagOperation.ADD, flags("$X"), 0);
        assertThat(none.modified()).isEqualTo(UidSet.range(1, 3));
        assertThat(none.updates()).isEmpty();
    }

    @Test
    void readOnlyViewsRefuseChanges() {
        Mailbox inbox = inbox();
        appendN(inbox, 2);
        ann.create(name("Copy"));
        MailboxView v = view(inbox, ViewMode.READ_ONLY);
        assertThat(reasonOf(() -> v.store(UidSet.all(), FlagOperation.ADD, Flags.of(SystemFlag.SEEN))))
                .isEqualTo(MailStoreException.Reason.READ_ONLY);
        assertThat(reasonOf(v::expunge)).isEqualTo(MailStoreException.Reason.READ_ONLY);
        try (Mailbox target = ann.open(name("Copy"))) {
            assertThat(reasonOf(() -> v.move(UidSet.all(), target))).isEqualTo(MailStoreException.Reason.READ_ONLY);
            assertThat(v.copy(UidSet.all(), target).count()).isEqualTo(2);
        }
    }

    @Test
    void expungeRemovesDeletedMessagesOfTheSnapshotOnly() {
        Mailbox inbox = inbox();
        appendN(inbox, 5);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        v.store(UidSet.of(2, 3, 5), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        long late = inbox.append(msg("late"), Flags.of(SystemFlag.DELETED), null); // not in v's snapshot
        long before = inbox.status().highestModSeq();

        Expunges e = v.expunge();
        assertThat(e.uids()).isEqualTo(UidSet.of(2, 3, 5));
        assertThat(e.sequenceNumbers()).containsExactly(2, 2, 3);
        assertThat(v.messageCount()).isEqualTo(2);
        assertThat(v.uid(2)).isEqualTo(4);
        assertThat(inbox.message(late)).isPresent();
        assertThat(inbox.status().highestModSeq()).isGreaterThan(before);

        MailboxChanges c = v.sync();
        assertThat(c.expunged().isEmpty()).isTrue(); // its own expunges are not repeated
        assertThat(c.newMessages()).isEqualTo(1);
        assertThat(c.messageCount()).isEqualTo(3);
    }

    @Test
    void uidExpungeRemovesOnlyTheGivenDeletedMessages() {
        Mailbox inbox = inbox();
        appendN(inbox, 4);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        v.store(UidSet.of(1, 2, 4), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        Expunges e = v.expunge(UidSet.of(2, 3, 4, 99));
        assertThat(e.uids()).isEqualTo(UidSet.of(2, 4));
        assertThat(e.sequenceNumbers()).containsExactly(2, 3);
        assertThat(inbox.message(1)).isPresent();
        assertThat(inbox.message(3)).isPresent();
        assertThat(v.expunge(UidSet.EMPTY).isEmpty()).isTrue();
    }

    @Test
    void copyKeepsFlagsAndDatesAndReportsTheUidMapping() {
        Mailbox inbox = inbox();
        appendN(inbox, 4);
        ann.create(name("Archive"));
        Mailbox archive = closing(ann.open(name("Archive")));
        archive.append(msg("already there"));
        MailboxView watcher = view(archive, ViewMode.READ_WRITE);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        v.store(UidSet.of(3), FlagOperation.ADD, flags("\\Answered", "$Fwd"));

        CopyResult r = v.copy(UidSet.of(2, 3, 4, 77), archive);
        assertThat(r.uidValidity()).isEqualTo(archive.uidValidity());
        assertThat(r.sourceUids()).isEqualTo(UidSet.of(2, 3, 4));
        assertThat(r.targetUids()).isEqualTo(UidSet.range(2, 4));
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.expunged().isEmpty()).isTrue();
        assertThat(archive.message(3).orElseThrow().flags()).isEqualTo(flags("\\Answered", "$Fwd"));
        assertThat(archive.message(3).orElseThrow().internalDate()).isEqualTo(T0);
        try (MessageSource a = inbox.content(3).orElseThrow(); MessageSource b = archive.content(3).orElseThrow()) {
            assertThat(b.toByteArray()).isEqualTo(a.toByteArray());
        }
        assertThat(inbox.status().messages()).isEqualTo(4);
        assertThat(watcher.sync().newMessages()).isEqualTo(3);
        assertThat(ann.quota().usedMessages()).isEqualTo(8);

        CopyResult self = v.copy(UidSet.of(1), inbox);
        assertThat(self.targetUids()).isEqualTo(UidSet.of(5));
        assertThat(v.sync().newMessages()).isEqualTo(1);
    }

    @Test
    void moveCopiesThenExpungesInTheSourceView() {
        Mailbox inbox = inbox();
        appendN(inbox, 4);
        ann.create(name("Trash"));
        Mailbox trash = closing(ann.open(name("Trash")));
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        MailboxView other = view(inbox, ViewMode.READ_WRITE);

        CopyResult r = v.move(UidSet.of(2, 3), trash);
        assertThat(r.sourceUids()).isEqualTo(UidSet.of(2, 3));
        assertThat(r.targetUids()).isEqualTo(UidSet.of(1, 2));
        assertThat(r.expunged().uids()).isEqualTo(UidSet.of(2, 3));
        assertThat(r.expunged().sequenceNumbers()).containsExactly(2, 2);
        assertThat(v.messageCount()).isEqualTo(2);
        assertThat(trash.status().messages()).isEqualTo(2);
        assertThat(ann.quota().usedMessages()).isEqualTo(4);
        MailboxChanges c = other.sync();
        assertThat(c.expunged().sequenceNumbers()).containsExactly(2, 2);
        assertThat(v.sync().isEmpty()).isTrue();
    }

    @Test
    void handlesAndViewsRefuseUseAfterClose() {
        Mailbox box = ann.open(MailboxName.INBOX);
        MailboxView v = box.openView(ViewMode.READ_WRITE);
        box.close();
        box.close();
        assertThatThrownBy(() -> box.append(msg("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(v.messageCount()).isZero(); // the view has its own handle
        v.mailbox().append(msg("through the view's handle"));
        v.close();
        v.close();
        assertThatThrownBy(v::sync).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> v.mailbox().status()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void exclusiveViewsExcludeEachOther() {
        Mailbox inbox = inbox();
        MailboxView pop = view(inbox, ViewMode.EXCLUSIVE);
        assertThat(reasonOf(() -> inbox.openView(ViewMode.EXCLUSIVE))).isEqualTo(MailStoreException.Reason.IN_USE);
        view(inbox, ViewMode.READ_WRITE).close(); // other modes are fine
        pop.close();
        view(inbox, ViewMode.EXCLUSIVE);
    }

    // ================================================================================================ changes

    @Test
    void syncReportsOtherSessionsChangesInIMAPOrder() {
        Mailbox inbox = inbox();
        appendN(inbox, 5);
        MailboxView mine = view(inbox, ViewMode.READ_WRITE);
        MailboxView theirs = view(inbox, ViewMode.READ_WRITE);
        assertThat(mine.hasPendingChanges()).isFalse();
        assertThat(mine.sync().isEmpty()).isTrue();

        theirs.store(UidSet.of(1), FlagOperation.ADD, flags("\\Seen"));
        theirs.store(UidSet.of(3, 4), FlagOperation.ADD, flags("\\Deleted", "$New"));
        theirs.expunge();
        inbox.append(msg("six"));
        mine.store(UidSet.of(5), FlagOperation.ADD, flags("\\Flagged")); // own change
        assertThat(mine.hasPendingChanges()).isTrue();

        MailboxChanges c = mine.sync();
        assertThat(c.expunged().uids()).isEqualTo(UidSet.of(3, 4));
        assertThat(c.expunged().sequenceNumbers()).containsExactly(3, 3);
        assertThat(c.newMessages()).isEqualTo(1);
        assertThat(c.messageCount()).isEqualTo(4);
        assertThat(c.flagsChanged()).isEqualTo(UidSet.of(1)); // not 3, 4 (gone) and not 5 (own)
        assertThat(c.keywordsChanged()).isTrue();
        assertThat(c.mailboxDeleted()).isFalse();
        assertThat(c.highestModSeq()).isEqualTo(inbox.status().highestModSeq());
        assertThat(mine.highestModSeq()).isEqualTo(c.highestModSeq());
        assertThat(mine.hasPendingChanges()).isFalse();
        assertThat(List.of(mine.uid(1), mine.uid(2), mine.uid(3), mine.uid(4))).containsExactly(1L, 2L, 5L, 6L);

        MailboxChanges t = theirs.sync();
        assertThat(t.expunged().isEmpty()).isTrue();
        assertThat(t.flagsChanged()).isEqualTo(UidSet.of(5));
        assertThat(t.keywordsChanged()).isTrue(); // its own STORE defined $New: FLAGS must still be announced
        assertThat(t.newMessages()).isEqualTo(1);
        assertThat(theirs.sync().keywordsChanged()).isFalse();
    }

    @Test
    void expungesCanBeDeferredWhileFetchStoreOrSearchRun() {
        Mailbox inbox = inbox();
        appendN(inbox, 4);
        MailboxView mine = view(inbox, ViewMode.READ_WRITE);
        MailboxView theirs = view(inbox, ViewMode.READ_WRITE);
        long start = mine.highestModSeq();
        theirs.store(UidSet.of(2), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        long beforeExpunge = inbox.status().highestModSeq();
        theirs.expunge();
        inbox.append(msg("new"));
        theirs.store(UidSet.of(1), FlagOperation.ADD, Flags.of(SystemFlag.SEEN));

        assertThat(mine.uidNext()).isEqualTo(5);
        assertThat(inbox.status().uidNext()).isEqualTo(6);
        MailboxChanges c = mine.syncWithoutExpunges();
        assertThat(mine.uidNext()).isEqualTo(6);
        assertThat(c.expunged().isEmpty()).isTrue();
        assertThat(c.newMessages()).isEqualTo(1);
        assertThat(c.messageCount()).isEqualTo(5);
        assertThat(c.flagsChanged()).isEqualTo(UidSet.of(1));
        assertThat(mine.uid(2)).isEqualTo(2); // still numbered as before
        assertThat(inbox.message(2)).isEmpty(); // but gone
        assertThat(c.highestModSeq()).isEqualTo(beforeExpunge).isGreaterThan(start);
        assertThat(mine.hasPendingChanges()).isTrue();

        MailboxChanges later = mine.sync();
        assertThat(later.expunged().uids()).isEqualTo(UidSet.of(2));
        assertThat(later.expunged().sequenceNumbers()).containsExactly(2);
        assertThat(later.messageCount()).isEqualTo(4);
        assertThat(later.newMessages()).isZero();
        assertThat(later.highestModSeq()).isEqualTo(inbox.status().highestModSeq());
        assertThat(mine.hasPendingChanges()).isFalse();
    }

    @Test
    void messagesAddedAndExpungedBetweenTwoSyncsAreNeverReported() {
        Mailbox inbox = inbox();
        appendN(inbox, 2);
        MailboxView mine = view(inbox, ViewMode.READ_WRITE);
        MailboxView theirs = view(inbox, ViewMode.READ_WRITE);
        long uid = inbox.append(msg("short-lived"), Flags.of(SystemFlag.DELETED), null);
        theirs.sync();
        theirs.expunge(UidSet.of(uid));
        for (MailboxChanges c : List.of(mine.syncWithoutExpunges(), mine.sync())) {
            assertThat(mine.uidNext()).isEqualTo(uid + 1); // the UID was used, even if never seen
            assertThat(c.newMessages()).isZero();
            assertThat(c.expunged().isEmpty()).isTrue();
            assertThat(c.messageCount()).isEqualTo(2);
        }
    }

    @Test
    void awaitChangesAndTheListenerWakeTheSession() throws Exception {
        Mailbox inbox = inbox();
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        assertThat(v.awaitChanges(Duration.ofMillis(20))).isFalse();
        AtomicInteger calls = new AtomicInteger();
        v.setChangeListener(calls::incrementAndGet);
        Thread t = new Thread(() -> inbox.append(msg("wake up")));
        t.start();
        assertThat(v.awaitChanges(Duration.ofSeconds(10))).isTrue();
        t.join(10_000);
        assertThat(calls.get()).isEqualTo(1);
        v.sync();
        v.setChangeListener(null);
        inbox.append(msg("quiet"));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(v.awaitChanges(Duration.ZERO)).isTrue();
    }

    @Test
    void awaitChangesIsInterruptibleAndEndsWhenTheViewCloses() throws Exception {
        MailboxView v = view(inbox(), ViewMode.READ_WRITE);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> v.awaitChanges(Duration.ofSeconds(10))).isInstanceOf(InterruptedException.class);
        Thread closer = new Thread(v::close);
        closer.start();
        assertThat(v.awaitChanges(Duration.ofDays(365_000_000))).isFalse(); // "forever" ends at close
        closer.join(10_000);
    }

    @Test
    void aPop3SnapshotNeverChanges() {
        Mailbox inbox = inbox();
        appendN(inbox, 3);
        MailboxView pop = view(inbox, ViewMode.EXCLUSIVE);
        MailboxView imap = view(inbox, ViewMode.READ_WRITE);
        inbox.append(msg("during the session"));
        imap.store(UidSet.of(1), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        imap.expunge();
        assertThat(pop.messageCount()).isEqualTo(3);
        assertThat(pop.uid(1)).isEqualTo(1);
        assertThat(inbox.content(1)).isEmpty(); // deleted elsewhere: RETR answers -ERR
        // QUIT: DELE'd messages are flagged and expunged
        pop.store(UidSet.of(2), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        Expunges e = pop.expunge(UidSet.of(2));
        assertThat(e.uids()).isEqualTo(UidSet.of(2));
        assertThat(inbox.status().messages()).isEqualTo(2);
    }
}
