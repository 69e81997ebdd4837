package dev.mailkit.store;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract, part 4: what IMAP's OBJECTID (RFC 8474) and SAVEDATE (RFC 8514) need of a store (a part of
 * {@link MailStoreContractTest}). A MAILBOXID follows its mailbox through renames and is never given to another
 * mailbox; an EMAILID is the same for the same content (copies, moves) and differs for different content; every
 * message has a save date, and a copy or a moved message is saved anew while the original keeps its own.
 */
public abstract class ObjectIdContract extends ViewContract {
    /**
     * Whether the store's save dates come from the clock the store was built with (the contract then checks exact
     * times); a store that takes them from elsewhere (PostgreSQL's own clock) is checked for order only.
     */
    protected boolean saveDatesFollowClock() {
        return true;
    }

    @Test
    void mailboxIdFollowsRenamesAndIsNeverReused() {
        ann.create(name("Projects"));
        String id;
        try (Mailbox m = ann.open(name("Projects"))) {
            id = m.mailboxId();
        }
        assertThat(id).matches("[A-Za-z0-9_-]{1,255}");
        Set<String> seen = new HashSet<>();
        seen.add(inbox().mailboxId());
        assertThat(seen.add(id)).as("INBOX and Projects have different ids").isTrue();
        ann.rename(name("Projects"), name("Archive.Projects"));
        try (Mailbox m = ann.open(name("Archive.Projects"))) {
            assertThat(m.mailboxId()).isEqualTo(id);
        }
        ann.delete(name("Archive.Projects"));
        for (int i = 0; i < 3; i++) {
            ann.create(name("Projects"));
            try (Mailbox m = ann.open(name("Projects"))) {
                assertThat(seen.add(m.mailboxId())).as("a re-created mailbox gets a new MAILBOXID").isTrue();
            }
            ann.delete(name("Projects"));
        }
        // renaming INBOX moves its messages into a new mailbox: that one gets a new id, INBOX keeps its own
        String inboxId = inbox().mailboxId();
        inbox().append(msg("to move"));
        ann.rename(MailboxName.INBOX, name("Old"));
        assertThat(inbox().mailboxId()).isEqualTo(inboxId);
        try (Mailbox old = ann.open(name("Old"))) {
            assertThat(seen.add(old.mailboxId())).isTrue();
        }
    }

    @Test
    void emailIdIsTheContentsAndSurvivesCopyAndMove() {
        Mailbox inbox = inbox();
        long a = inbox.append(msg("alpha"));
        long b = inbox.append(msg("beta"));
        long a2 = inbox.append(msg("alpha"));
        String idA = inbox.structure(a).orElseThrow().emailId();
        assertThat(idA).matches("M[0-9a-f]{32}");
        assertThat(inbox.structure(b).orElseThrow().emailId()).isNotEqualTo(idA);
        assertThat(inbox.structure(a2).orElseThrow().emailId()).isEqualTo(idA);
        ann.create(name("Other"));
        Mailbox other = closing(ann.open(name("Other")));
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        long copied = v.copy(UidSet.of(a), other).targetUids().first();
        long moved = v.move(UidSet.of(b), other).targetUids().first();
        assertThat(other.structure(copied).orElseThrow().emailId()).isEqualTo(idA);
        assertThat(other.structure(moved).orElseThrow().emailId()).matches("M[0-9a-f]{32}").isNotEqualTo(idA);
    }

    @Test
    void saveDatesAreKeptAndACopyIsSavedAnew() {
        Mailbox inbox = inbox();
        assertThat(inbox.keepsSaveDates()).isTrue();
        Instant before = Instant.now().minusSeconds(5);
        long uid = inbox.append(msg("dated"), Flags.NONE, Instant.parse("2001-02-03T04:05:06Z"));
        Instant saved = inbox.saveDate(uid).orElseThrow();
        assertThat(inbox.message(uid).orElseThrow().internalDate()).isEqualTo(Instant.parse("2001-02-03T04:05:06Z"));
        if (saveDatesFollowClock()) {
            assertThat(saved).isEqualTo(T0);
        } else {
            assertThat(saved).isAfter(before);
        }
        clock.advance(Duration.ofDays(2));
        ann.create(name("Other"));
        Mailbox other = closing(ann.open(name("Other")));
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        long copied = v.copy(UidSet.of(uid), other).targetUids().first();
        Instant copySaved = other.saveDate(copied).orElseThrow();
        long moved = v.move(UidSet.of(uid), other).targetUids().first();
        Instant moveSaved = other.saveDate(moved).orElseThrow();
        if (saveDatesFollowClock()) {
            assertThat(copySaved).isEqualTo(T0.plus(Duration.ofDays(2)));
            assertThat(moveSaved).isEqualTo(T0.plus(Duration.ofDays(2)));
        } else {
            assertThat(copySaved).isAfterOrEqualTo(saved);
            assertThat(moveSaved).isAfterOrEqualTo(copySaved);
        }
        // the copy keeps the internal date; the original is gone after the move, and so is its save date
        assertThat(other.message(copied).orElseThrow().internalDate()).isEqualTo(Instant.parse("2001-02-03T04:05:06Z"));
        assertThat(inbox.saveDate(uid)).isEmpty();
        assertThat(other.saveDate(9999)).isEmpty();
    }
}
