package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract, part 1: accounts and the mailbox hierarchy (a part of {@link MailStoreContractTest}). */
public abstract class HierarchyContract extends AccountChangesContract {
    // ================================================================================================ accounts

    @Test
    void newAccountHasOnlyAnInbox() {
        List<MailboxInfo> list = ann.list();
        assertThat(list).hasSize(1);
        assertThat(list.get(0)).isEqualTo(new MailboxInfo(MailboxName.INBOX, true, false, Set.of()));
        assertThat(ann.exists(MailboxName.INBOX)).isTrue();
        assertThat(ann.id()).isEqualTo(AccountId.parse("ann@example.com"));
        assertThat(ann.subscriptions()).isEmpty();
    }

    @Test
    void accountsAreKeyedByAddressIgnoringCase() {
        inbox().append(msg("one"));
        MailAccount same = store.account(MailAddress.parse("Ann@EXAMPLE.com"));
        assertThat(same.id()).isEqualTo(ann.id());
        try (Mailbox box = same.open(MailboxName.INBOX)) {
            assertThat(box.status().messages()).isEqualTo(1);
        }
        MailAccount other = store.account(MailAddress.parse("bob@example.com"));
        try (Mailbox box = other.open(MailboxName.INBOX)) {
            assertThat(box.status().messages()).isZero();
        }
    }

    @Test
    void hostileAccountNamesAreRefused() {
        List<MailAddress> hostile = List.of(
                MailAddress.of("../../etc", "example.com"),
                MailAddress.of("a/b", "example.com"),
                MailAddress.of("a\\b", "example.com"),
                MailAddress.of("..", "example.com"),
                MailAddress.of(".", "example.com"),
                MailAddress.of("a b", "example.com"),
                MailAddress.of("a\uFF0Fb", "example.com"),      // full-width solidus
                MailAddress.of("\u2024\u2024", "example.com"),  // one-dot leaders
                MailAddress.of("evil\u202Etxt", "example.com"), // right-to-left override
                MailAddress.of("a\u200Bb", "example.com"),      // zero-width space
                MailAddress.parse("user@[192.0.2.1]"));
        for (MailAddress a : hostile) {
            assertThat(reasonOf(() -> store.account(a))).as(a.toString())
                    .isEqualTo(MailStoreException.Reason.INVALID_NAME);
        }
        assertThat(store.account(MailAddress.parse("o'brien+tag@example.com")).id().localPart())
                .isEqualTo("o'brien+tag");
        assertThat(store.account(MailAddress.parse("jürgen@bücher.example")).id().domain())
                .isEqualTo("xn--bcher-kva.example");
    }

    // ================================================================================================ hierarchy

    @Test
    void createListsParentsAsPlaceholders() {
        ann.create(name("a.b.c"));
        assertThat(names(ann.list())).containsExactly("INBOX", "a", "a.b", "a.b.c");
        assertThat(info(ann, "a")).isEqualTo(new MailboxInfo(name("a"), false, true, Set.of()));
        assertThat(info(ann, "a.b").selectable()).isFalse();
        assertThat(info(ann, "a.b.c")).isEqualTo(new MailboxInfo(name("a.b.c"), true, false, Set.of()));
        assertThat(ann.exists(name("a"))).isFalse();
        assertThat(reasonOf(() -> ann.open(name("a")))).isEqualTo(MailStoreException.Reason.NOT_FOUND);

        ann.create(name("a"));
        assertThat(info(ann, "a")).isEqualTo(new MailboxInfo(name("a"), true, true, Set.of()));
        assertThat(info(ann, "INBOX").hasChildren()).isFalse();
        ann.create(name("INBOX.child"));
        assertThat(info(ann, "INBOX").hasChildren()).isTrue();
    }

    @Test
    void createRefusesExistingNames() {
        ann.create(name("Work"));
        assertThat(reasonOf(() -> ann.create(name("Work")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(reasonOf(() -> ann.create(name("INBOX")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(reasonOf(() -> ann.create(name("inbox")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        ann.create(name("work")); // other levels are case-sensitive
        assertThat(names(ann.list())).containsExactly("INBOX", "Work", "work");
    }

    @Test
    void unusualButValidNamesWork() {
        List<String> valid = List.of("Entwürfe", "日本語.フォルダ", "[Gmail].Sent Mail", "a&b", "Tom's \"box\"",
                "~tilde", "x".repeat(200), "emoji 📬");
        for (String v : valid) {
            ann.create(name(v));
            try (Mailbox box = ann.open(name(v))) {
                box.append(msg(v));
                assertThat(box.status().messages()).isEqualTo(1);
                assertThat(box.name().toString()).isEqualTo(v);
            }
        }
        assertThat(names(ann.list())).contains("Entwürfe", "日本語", "日本語.フォルダ", "[Gmail]", "[Gmail].Sent Mail");
    }

    @Test
    void specialUseComesFromCreateOrTheDefaultNames() {
        ann.create(name("Sent"));
        ann.create(name("Old stuff"), Set.of(SpecialUse.ARCHIVE));
        ann.create(name("Misc"));
        assertThat(info(ann, "Sent").specialUse()).containsExactly(SpecialUse.SENT);
        assertThat(info(ann, "Old stuff").specialUse()).containsExactly(SpecialUse.ARCHIVE);
        assertThat(info(ann, "Misc").specialUse()).isEmpty();
        try (Mailbox box = ann.open(name("Old stuff"))) {
            assertThat(box.specialUse()).containsExactly(SpecialUse.ARCHIVE);
        }
    }

    @Test
    void mailboxCountIsLimited() {
        int max = settings().maxMailboxesPerAccount();
        for (int i = 1; i < max; i++) {
            ann.create(name("box" + i));
        }
        assertThat(reasonOf(() -> ann.create(name("one-too-many")))).isEqualTo(MailStoreException.Reason.LIMIT);
    }

    @Test
    void deleteRemovesTheMailboxButNotItsChildren() {
        ann.create(name("p"));
        ann.create(name("p.c"));
        long validity;
        try (Mailbox p = ann.open(name("p"))) {
            appendN(p, 3);
            validity = p.uidValidity();
        }
        long before = ann.quota().usedMessages();
        ann.delete(name("p"));
        assertThat(ann.quota().usedMessages()).isEqualTo(before - 3);
        assertThat(info(ann, "p")).isEqualTo(new MailboxInfo(name("p"), false, true, Set.of()));
        assertThat(ann.exists(name("p.c"))).isTrue();
        assertThat(reasonOf(() -> ann.delete(name("p")))).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> ann.delete(name("nothing")))).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> ann.delete(MailboxName.INBOX))).isEqualTo(MailStoreException.Reason.NOT_ALLOWED);

        ann.create(name("p"));
        try (Mailbox p = ann.open(name("p"))) {
            assertThat(p.uidValidity()).isNotEqualTo(validity);
            assertThat(p.append(msg("again"))).isEqualTo(1);
        }
        ann.delete(name("p.c"));
        ann.delete(name("p"));
        assertThat(names(ann.list())).containsExactly("INBOX");
    }

    @Test
    void deleteIsSeenByOpenViewsAndHandles() {
        ann.create(name("gone"));
        Mailbox box = closing(ann.open(name("gone")));
        appendN(box, 2);
        MailboxView v = view(box, ViewMode.READ_WRITE);
        ann.delete(name("gone"));
        assertThat(v.hasPendingChanges()).isTrue();
        MailboxChanges c = v.sync();
        assertThat(c.mailboxDeleted()).isTrue();
        assertThat(v.sync().mailboxDeleted()).isFalse(); // reported once
        assertThat(reasonOf(() -> box.append(msg("x")))).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> v.expunge())).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> v.store(UidSet.all(), FlagOperation.ADD, Flags.of(SystemFlag.SEEN))))
                .isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(reasonOf(() -> box.openView(ViewMode.READ_WRITE))).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        assertThat(box.message(1)).isEmpty();
    }

    @Test
    void renameMovesTheHierarchyKeepingUidsAndViews() {
        ann.create(name("a"));
        ann.create(name("a.b"));
        ann.create(name("ab")); // not below "a"
        ann.subscribe(name("a.b"));
        Mailbox a = closing(ann.open(name("a")));
        appendN(a, 2);
        long validity = a.uidValidity();
        MailboxView v = view(a, ViewMode.READ_WRITE);

        ann.rename(name("a"), name("x.y"));
        assertThat(names(ann.list())).containsExactly("INBOX", "ab", "x", "x.y", "x.y.b");
        assertThat(a.name()).isEqualTo(name("x.y"));
        assertThat(v.mailbox().name()).isEqualTo(name("x.y"));
        assertThat(ann.subscriptions()).containsExactly(name("x.y.b"));
        try (Mailbox moved = ann.open(name("x.y"))) {
            assertThat(moved.uidValidity()).isEqualTo(validity);
            assertThat(moved.status().messages()).isEqualTo(2);
            assertThat(moved.append(msg("after"))).isEqualTo(3);
        }
        assertThat(v.sync().newMessages()).isEqualTo(1);
    }

    @Test
    void renameRefusals() {
        ann.create(name("a"));
        ann.create(name("b"));
        ann.create(name("c.d"));
        assertThat(reasonOf(() -> ann.rename(name("a"), name("b")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(reasonOf(() -> ann.rename(name("a"), name("a")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(reasonOf(() -> ann.rename(name("a"), MailboxName.INBOX)))
                .isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(reasonOf(() -> ann.rename(name("a"), name("a.sub")))).isEqualTo(MailStoreException.Reason.NOT_ALLOWED);
        assertThat(reasonOf(() -> ann.rename(name("zz"), name("yy")))).isEqualTo(MailStoreException.Reason.NOT_FOUND);
        ann.create(name("x.d"));
        assertThat(reasonOf(() -> ann.rename(name("c"), name("x")))).isEqualTo(MailStoreException.Reason.ALREADY_EXISTS);
        assertThat(names(ann.list())).containsExactly("INBOX", "a", "b", "c", "c.d", "x", "x.d");
        ann.rename(name("c"), name("e")); // a placeholder with children can be renamed
        assertThat(names(ann.list())).containsExactly("INBOX", "a", "b", "e", "e.d", "x", "x.d");
    }

    @Test
    void renamingInboxMovesItsMessagesAndLeavesItEmpty() {
        ann.create(name("INBOX.kept"));
        Mailbox inbox = inbox();
        long validity = inbox.uidValidity();
        appendN(inbox, 3);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        v.store(UidSet.of(2), FlagOperation.ADD, flags("\\Flagged", "$Work"));

        ann.rename(MailboxName.INBOX, name("Old"));
        assertThat(names(ann.list())).containsExactly("INBOX", "INBOX.kept", "Old");
        assertThat(inbox.status().messages()).isZero();
        assertThat(inbox.uidValidity()).isEqualTo(validity);
        MailboxChanges c = v.sync();
        assertThat(c.expunged().count()).isEqualTo(3);
        assertThat(c.messageCount()).isZero();
        try (Mailbox old = ann.open(name("Old"))) {
            assertThat(old.uidValidity()).isNotEqualTo(validity);
            assertThat(old.status().messages()).isEqualTo(3);
            assertThat(old.message(2).orElseThrow().flags()).isEqualTo(flags("\\Flagged", "$Work"));
            assertThat(old.message(1).orElseThrow().internalDate()).isEqualTo(T0);
        }
        assertThat(inbox.append(msg("new"))).isEqualTo(4); // UIDs are not reused
    }

    @Test
    void subscriptionsAreNames() {
        ann.subscribe(name("Zeta"));
        ann.subscribe(name("Alpha"));
        ann.subscribe(name("Alpha"));
        ann.subscribe(MailboxName.INBOX);
        assertThat(ann.subscriptions()).containsExactly(MailboxName.INBOX, name("Alpha"), name("Zeta"));
        ann.create(name("Alpha"));
        ann.delete(name("Alpha"));
        assertThat(ann.subscriptions()).contains(name("Alpha"));
        ann.unsubscribe(name("Alpha"));
        ann.unsubscribe(name("never"));
        assertThat(ann.subscriptions()).containsExactly(MailboxName.INBOX, name("Zeta"));
    }
}
