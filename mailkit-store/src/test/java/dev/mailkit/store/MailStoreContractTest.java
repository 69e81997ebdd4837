package dev.mailkit.store;

import dev.mailkit.core.MutableClock;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.store.mime.MessageStructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract every {@link MailStore} fulfils: hierarchy, messages, UIDs, flags, MODSEQ, views and change
 * notification, quotas, name safety and concurrency (many appenders, readers and sessions on one mailbox). A
 * store's test extends this class and implements {@link #createStore}.
 */
public abstract class MailStoreContractTest {
    /** The settings a store under test must be built with. */
    public record Settings(MutableClock clock, QuotaPolicy quota, int maxKeywordsPerMailbox, int maxMailboxesPerAccount) {
    }

    /** A new, empty store with these settings (and otherwise its defaults). */
    protected abstract MailStore createStore(Settings settings);

    protected static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    protected MutableClock clock;
    protected MailStore store;
    protected MailAccount ann;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @TempDir
    Path tmp;

    /** The settings for this test (override to change one). */
    protected Settings settings() {
        return new Settings(clock, QuotaPolicy.unlimited(), 50, 100);
    }

    @BeforeEach
    void setUpStore() {
        clock = new MutableClock(T0);
        store = createStore(settings());
        ann = store.account(MailAddress.parse("ann@example.com"));
    }

    @AfterEach
    void closeStore() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        store.close();
    }

    protected <T extends AutoCloseable> T closing(T c) {
        toClose.add(c);
        return c;
    }

    protected static MailboxName name(String s) {
        return MailboxName.of(s);
    }

    protected static MessageSource msg(String subject) {
        return MessageSource.ofText("From: a@example.com\nSubject: " + subject + "\n\nbody of " + subject + "\n");
    }

    protected Mailbox inbox() {
        return closing(ann.open(MailboxName.INBOX));
    }

    protected MailboxView view(Mailbox box, ViewMode mode) {
        return closing(box.openView(mode));
    }

    protected static long[] appendN(Mailbox box, int n) {
        long[] uids = new long[n];
        for (int i = 0; i < n; i++) {
            uids[i] = box.append(msg("m" + i));
        }
        return uids;
    }

    protected static MailStoreException.Reason reasonOf(Runnable r) {
        try {
            r.run();
        } catch (MailStoreException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.reason();
        }
        throw new AssertionError("expected a MailStoreException");
    }

    protected static Flags flags(String... imapNames) {
        return Flags.parse(List.of(imapNames));
    }

    private static List<String> names(List<MailboxInfo> infos) {
        return infos.stream().map(i -> i.name().toString()).toList();
    }

    private static MailboxInfo info(MailAccount a, String n) {
        return a.list().stream().filter(i -> i.name().toString().equals(n)).findFirst().orElseThrow();
    }

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

    // ================================================================================================ messages

    @Test
    void appendAssignsAscendingUidsAndKeepsMetadata() {
        Mailbox inbox = inbox();
        MailboxStatus empty = inbox.status();
        assertThat(empty.messages()).isZero();
        assertThat(empty.uidNext()).isEqualTo(1);
        assertThat(empty.uidValidity()).isEqualTo(inbox.uidValidity()).isPositive();
        assertThat(empty.highestModSeq()).isPositive();

        Instant given = Instant.parse("2020-05-06T07:08:09.750Z");
        MessageSource m1 = msg("first");
        long u1 = inbox.append(m1, flags("\\Seen", "$Label1"), given);
        clock.advance(Duration.ofSeconds(30));
        long u2 = inbox.append(msg("second"));
        assertThat(u1).isEqualTo(1);
        assertThat(u2).isEqualTo(2);

        MessageInfo i1 = inbox.message(u1).orElseThrow();
        assertThat(i1.uid()).isEqualTo(1);
        assertThat(i1.flags()).isEqualTo(flags("\\Seen", "$label1"));
        assertThat(i1.internalDate()).isEqualTo(Instant.parse("2020-05-06T07:08:09Z"));
        assertThat(i1.size()).isEqualTo(m1.size());
        MessageInfo i2 = inbox.message(u2).orElseThrow();
        assertThat(i2.internalDate()).isEqualTo(T0.plusSeconds(30));
        assertThat(i2.flags()).isEqualTo(Flags.NONE);
        assertThat(i2.modSeq()).isGreaterThan(i1.modSeq());

        MailboxStatus s = inbox.status();
        assertThat(s.messages()).isEqualTo(2);
        assertThat(s.uidNext()).isEqualTo(3);
        assertThat(s.unseen()).isEqualTo(1);
        assertThat(s.recent()).isEqualTo(2);
        assertThat(s.size()).isEqualTo(i1.size() + i2.size());
        assertThat(s.highestModSeq()).isEqualTo(i2.modSeq()).isGreaterThan(empty.highestModSeq());
        assertThat(inbox.keywords()).containsExactly("$Label1");
        assertThat(inbox.canCreateKeywords()).isTrue();
        assertThat(inbox.message(3)).isEmpty();
        assertThat(inbox.content(3)).isEmpty();
        assertThat(inbox.structure(3)).isEmpty();
        assertThat(inbox.message(0)).isEmpty();
    }

    @Test
    void contentAndStructureComeBackExactly() throws IOException {
        Mailbox inbox = inbox();
        String text = "From: Ann <ann@example.com>\r\nSubject: Structured\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + "hello\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\nAAAA\r\n--b--\r\n";
        long uid = inbox.append(MessageSource.of(text.getBytes(StandardCharsets.US_ASCII)));
        try (MessageSource c = inbox.content(uid).orElseThrow()) {
            assertThat(c.asString()).isEqualTo(text);
        }
        MessageStructure s = inbox.structure(uid).orElseThrow();
        assertThat(s.envelope().subject()).isEqualTo("Structured");
        assertThat(s.body().children()).hasSize(2);
        assertThat(inbox.structure(uid).orElseThrow()).isEqualTo(s); // from the cache
        // a ranged read of part 2's body
        var part2 = s.body().children().get(1);
        try (MessageSource c = inbox.content(uid).orElseThrow(); InputStream in = c.openStream()) {
            assertThat(in.skip(part2.bodyOffset())).isEqualTo(part2.bodyOffset());
            assertThat(new String(in.readNBytes((int) part2.bodyLength()), StandardCharsets.US_ASCII)).isEqualTo("AAAA");
        }
    }

    @Test
    void bigMessagesStreamThrough() throws IOException {
        MessageSpool spool = MessageSpool.create(tmp.resolve("spool"), 64 * 1024);
        MessageSpool.Writer w = spool.newWriter();
        byte[] line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdef\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        w.write("Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 40_000; i++) {
            w.write(line);
        }
        long uid;
        long size;
        try (MessageSource big = w.finish()) {
            assertThat(big.isInMemory()).isFalse();
            size = big.size();
            uid = inbox().append(big);
        }
        Mailbox inbox = inbox();
        assertThat(inbox.message(uid).orElseThrow().size()).isEqualTo(size);
        try (MessageSource c = inbox.content(uid).orElseThrow(); InputStream in = c.openStream()) {
            assertThat(in.skip(size - line.length)).isEqualTo(size - line.length);
            assertThat(in.readAllBytes()).isEqualTo(line);
        }
        assertThat(inbox.structure(uid).orElseThrow().body().bodyLines()).isEqualTo(40_000);
    }

    @Test
    void uidsAreNeverReused() {
        Mailbox inbox = inbox();
        appendN(inbox, 3);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        v.store(UidSet.range(2, 3), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        v.expunge();
        assertThat(inbox.append(msg("next"))).isEqualTo(4);
        assertThat(inbox.status().uidNext()).isEqualTo(5);
    }

    @Test
    void keywordLimitRefusesWithoutChangingAnything() {
        Mailbox inbox = inbox();
        int max = settings().maxKeywordsPerMailbox();
        List<String> kws = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            kws.add("kw" + i);
        }
        long uid = inbox.append(msg("k"), Flags.of(Set.of(), kws), null);
        assertThat(inbox.keywords()).hasSize(max);
        assertThat(inbox.canCreateKeywords()).isFalse();
        MailboxStatus before = inbox.status();
        assertThat(reasonOf(() -> inbox.append(msg("x"), flags("brand-new"), null)))
                .isEqualTo(MailStoreException.Reason.LIMIT);
        assertThat(inbox.status()).isEqualTo(before);
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        assertThat(reasonOf(() -> v.store(UidSet.of(uid), FlagOperation.ADD, flags("brand-new"))))
                .isEqualTo(MailStoreException.Reason.LIMIT);
        // existing keywords, in any case, still work
        v.store(UidSet.of(uid), FlagOperation.REPLACE, flags("KW3"));
        assertThat(inbox.message(uid).orElseThrow().flags().keywords()).containsExactly("kw3");
    }

    /** Copying more messages than the keyword limit, all sharing a keyword the target lacks, defines it once. */
    @Test
    void copyDefinesASharedKeywordOnceWhateverTheNumberOfMessages() {
        Mailbox inbox = inbox();
        int n = settings().maxKeywordsPerMailbox() + 5;
        for (int i = 0; i < n; i++) {
            inbox.append(msg("m" + i), flags("$Shared"), null);
        }
        ann.create(name("Target"));
        Mailbox target = closing(ann.open(name("Target")));
        MailboxView v = view(inbox, ViewMode.READ_WRITE);
        CopyResult r = v.copy(UidSet.all(), target);
        assertThat(r.count()).isEqualTo(n);
        assertThat(target.keywords()).containsExactly("$Shared");
        assertThat(target.message(n).orElseThrow().flags().keywords()).containsExactly("$Shared");
    }

    @Test
    void keywordsOfManyWordsSurvive() {
        Mailbox inbox = inbox();
        long uid = inbox.append(msg("a"), flags("early"), null);
        List<String> kws = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            kws.add("k" + i);
        }
        long uid2 = inbox.append(msg("b"), Flags.of(Set.of(SystemFlag.DRAFT), kws), null);
        assertThat(inbox.message(uid).orElseThrow().flags()).isEqualTo(flags("early"));
        assertThat(inbox.message(uid2).orElseThrow().flags().keywords()).hasSize(45);
        assertThat(inbox.message(uid2).orElseThrow().flags().contains(SystemFlag.DRAFT)).isTrue();
    }

    // ================================================================================================ quota

    @Test
    void quotaCountsEveryMailbox() {
        ann.create(name("Other"));
        Mailbox inbox = inbox();
        MessageSource m = msg("q");
        inbox.append(m);
        try (Mailbox other = ann.open(name("Other"))) {
            other.append(m);
            other.append(m);
        }
        Quota q = ann.quota();
        assertThat(q.usedMessages()).isEqualTo(3);
        assertThat(q.usedBytes()).isEqualTo(3 * m.size());
        assertThat(q.limits()).isEqualTo(QuotaLimits.UNLIMITED);
        assertThat(q.allows(1_000_000)).isTrue();
    }

    @Test
    void quotaLimitsAreEnforced() {
        MessageSource m = msg("q");
        long size = m.size();
        try (MailStore limited = createStore(new Settings(clock, QuotaPolicy.of(new QuotaLimits(3 * size, 100)), 50,
                100))) {
            MailAccount a = limited.account(MailAddress.parse("full@example.com"));
            a.create(name("Other"));
            try (Mailbox in = a.open(MailboxName.INBOX); Mailbox other = a.open(name("Other"))) {
                for (int i = 0; i < 3; i++) {
                    in.append(m);
                }
                assertThat(a.quota().isFull()).isTrue();
                assertThat(a.quota().allows(1)).isFalse();
                MailboxStatus before = in.status();
                assertThat(reasonOf(() -> in.append(m))).isEqualTo(MailStoreException.Reason.OVER_QUOTA);
                assertThat(reasonOf(() -> other.append(m))).isEqualTo(MailStoreException.Reason.OVER_QUOTA);
                assertThat(in.status()).isEqualTo(before);

                try (MailboxView v = in.openView(ViewMode.READ_WRITE)) {
                    assertThat(reasonOf(() -> v.copy(UidSet.of(1), other)))
                            .isEqualTo(MailStoreException.Reason.OVER_QUOTA);
                    assertThat(other.status().messages()).isZero();
                    // moving within the account needs no extra room
                    assertThat(v.move(UidSet.of(1), other).count()).isEqualTo(1);
                    assertThat(a.quota().usedMessages()).isEqualTo(3);
                    v.store(UidSet.of(2), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                    v.expunge();
                }
                assertThat(a.quota().usedBytes()).isEqualTo(2 * size);
                assertThat(a.quota().allows(size)).isTrue();
                in.append(m);
            }
        }
        try (MailStore counted = createStore(new Settings(clock, QuotaPolicy.of(new QuotaLimits(
                QuotaLimits.UNLIMITED_VALUE, 2)), 50, 100))) {
            try (Mailbox in = counted.account(MailAddress.parse("few@example.com")).open(MailboxName.INBOX)) {
                appendN(in, 2);
                assertThat(reasonOf(() -> in.append(m))).isEqualTo(MailStoreException.Reason.OVER_QUOTA);
            }
        }
    }

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

    // ================================================================================================ concurrency

    /** Runs the tasks on their own threads, all at once, and fails with the first error. */
    protected static void runConcurrently(List<java.util.concurrent.Callable<Void>> tasks) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(tasks.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Void>> futures = new ArrayList<>();
            for (java.util.concurrent.Callable<Void> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Void> f : futures) {
                try {
                    f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof Exception) {
                        throw (Exception) e.getCause();
                    }
                    throw new AssertionError(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A client's idea of the mailbox, kept only from what {@link MailboxChanges} report, as an IMAP client keeps
     * it from EXPUNGE and EXISTS responses; it must always match the view's snapshot.
     */
    private static final class ClientModel {
        final List<Long> uids = new ArrayList<>();
        long modSeq;

        void apply(MailboxChanges c, MailboxView v) {
            int[] seqs = c.expunged().sequenceNumbers();
            for (int seq : seqs) {
                assertThat(seq).isBetween(1, uids.size());
                uids.remove(seq - 1);
            }
            assertThat(c.messageCount()).isEqualTo(uids.size() + c.newMessages());
            for (int seq = uids.size() + 1; seq <= c.messageCount(); seq++) {
                long uid = v.uid(seq);
                assertThat(uids.isEmpty() || uid > uids.get(uids.size() - 1)).isTrue();
                uids.add(uid);
            }
            assertThat(c.highestModSeq()).isGreaterThanOrEqualTo(modSeq);
            modSeq = c.highestModSeq();
            for (long u : c.flagsChanged()) {
                assertThat(uids).contains(u);
            }
            assertThat(uids).containsExactly(java.util.Arrays.stream(snapshot(v)).boxed().toArray(Long[]::new));
        }
    }

    @Test
    void concurrentAppendersAndReadersAgree() throws Exception {
        Mailbox inbox = inbox();
        int writers = 6;
        int perWriter = 150;
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger finished = new AtomicInteger();
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        java.util.Map<Long, byte[]> written = new java.util.concurrent.ConcurrentHashMap<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            tasks.add(() -> {
                try (Mailbox box = ann.open(MailboxName.INBOX)) {
                    long last = 0;
                    for (int i = 0; i < perWriter; i++) {
                        byte[] b = ("Subject: w" + id + " m" + i + "\r\n\r\n" + "x".repeat(i * 7) + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        long uid = box.append(MessageSource.of(b), i % 3 == 0 ? Flags.of(SystemFlag.SEEN) : Flags.NONE,
                                null);
                        assertThat(uid).isGreaterThan(last);
                        last = uid;
                        written.put(uid, b);
                    }
                } finally {
                    if (finished.incrementAndGet() == writers) {
                        done.set(true);
                    }
                }
                return null;
            });
        }
        for (int r = 0; r < 3; r++) {
            tasks.add(() -> {
                try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                    ClientModel model = new ClientModel();
                    for (int i = 1; i <= v.messageCount(); i++) {
                        model.uids.add(v.uid(i));
                    }
                    while (!done.get()) {
                        v.awaitChanges(Duration.ofMillis(50));
                        MailboxChanges c = v.sync();
                        model.apply(c, v);
                        for (int seq = Math.max(1, v.messageCount() - 5); seq <= v.messageCount(); seq++) {
                            assertThat(box.message(v.uid(seq))).isPresent();
                        }
                    }
                    model.apply(v.sync(), v);
                    assertThat(model.uids).hasSize(writers * perWriter);
                }
                return null;
            });
        }
        runConcurrently(tasks);
        MailboxStatus s = inbox.status();
        assertThat(s.messages()).isEqualTo(writers * perWriter);
        assertThat(s.uidNext()).isEqualTo(writers * perWriter + 1);
        assertThat(s.unseen()).isEqualTo(writers * (perWriter - (perWriter + 2) / 3));
        assertThat(written).hasSize(writers * perWriter);
        MailboxView v = view(inbox, ViewMode.READ_ONLY);
        long[] snap = snapshot(v);
        assertThat(ascending(snap)).isTrue();
        for (long uid : snap) {
            try (MessageSource c = inbox.content(uid).orElseThrow()) {
                assertThat(c.toByteArray()).isEqualTo(written.get(uid));
            }
        }
        assertThat(ann.quota().usedMessages()).isEqualTo(writers * perWriter);
    }

    @Test
    void changeNotificationStaysInOrderUnderConcurrentChanges() throws Exception {
        Mailbox inbox = inbox();
        appendN(inbox, 30);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        AtomicInteger working = new AtomicInteger(3);
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        tasks.add(() -> { // deliveries
            try (Mailbox box = ann.open(MailboxName.INBOX)) {
                for (int i = 0; i < 300; i++) {
                    box.append(msg("d" + i));
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        tasks.add(() -> { // a session that flags and expunges
            java.util.Random r = new java.util.Random(1);
            try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                for (int i = 0; i < 200; i++) {
                    v.sync();
                    if (v.messageCount() == 0) {
                        continue;
                    }
                    long uid = v.uid(1 + r.nextInt(v.messageCount()));
                    v.store(UidSet.of(uid), FlagOperation.ADD, r.nextBoolean() ? Flags.of(SystemFlag.DELETED)
                            : flags("$k" + r.nextInt(5)));
                    if (i % 7 == 0) {
                        v.expunge();
                    }
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        tasks.add(() -> { // a session that moves messages out
            try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                ann.create(name("Elsewhere"));
                try (Mailbox target = ann.open(name("Elsewhere"))) {
                    for (int i = 0; i < 60; i++) {
                        v.sync();
                        if (v.messageCount() > 2) {
                            v.move(UidSet.of(v.uid(2)), target);
                        }
                    }
                }
            } finally {
                if (working.decrementAndGet() == 0) {
                    done.set(true);
                }
            }
            return null;
        });
        for (int o = 0; o < 2; o++) {
            boolean deferSometimes = o == 1;
            tasks.add(() -> { // observers, as IMAP sessions: they sync between their commands
                try (Mailbox box = ann.open(MailboxName.INBOX); MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                    ClientModel model = new ClientModel();
                    for (int i = 1; i <= v.messageCount(); i++) {
                        model.uids.add(v.uid(i));
                    }
                    int round = 0;
                    while (!done.get()) {
                        v.awaitChanges(Duration.ofMillis(20));
                        MailboxChanges c = deferSometimes && round++ % 2 == 0 ? v.syncWithoutExpunges() : v.sync();
                        model.apply(c, v);
                    }
                    model.apply(v.sync(), v);
                    try (MailboxView fresh = box.openView(ViewMode.READ_ONLY)) {
                        assertThat(model.uids).containsExactly(
                                java.util.Arrays.stream(snapshot(fresh)).boxed().toArray(Long[]::new));
                        assertThat(model.modSeq).isEqualTo(box.status().highestModSeq());
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        MailboxStatus s = inbox.status();
        try (Mailbox other = ann.open(name("Elsewhere"))) {
            assertThat(ann.quota().usedMessages()).isEqualTo(s.messages() + other.status().messages());
        }
    }

    @Test
    void manyWaitingSessionsAreAllWokenByOneDelivery() throws Exception {
        Mailbox inbox = inbox();
        int sessions = 40;
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(sessions);
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            tasks.add(() -> {
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    ready.countDown();
                    assertThat(v.awaitChanges(Duration.ofSeconds(30))).isTrue();
                    assertThat(v.sync().newMessages()).isEqualTo(1);
                }
                return null;
            });
        }
        tasks.add(() -> {
            assertThat(ready.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            inbox.append(msg("for everyone"));
            return null;
        });
        runConcurrently(tasks);
    }

    @Test
    void concurrentFlagChangesGetDistinctIncreasingModSeqs() throws Exception {
        Mailbox inbox = inbox();
        appendN(inbox, 10);
        long start = inbox.status().highestModSeq();
        java.util.Set<Long> opModSeqs = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger changingOps = new AtomicInteger();
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            tasks.add(() -> {
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    for (int i = 0; i < 150; i++) {
                        StoreResult r = v.store(UidSet.range(1, 10), i % 2 == 0 ? FlagOperation.ADD
                                : FlagOperation.REMOVE, flags("$t" + id));
                        List<Long> changed = r.updates().stream().filter(StoreResult.Entry::changed)
                                .map(StoreResult.Entry::modSeq).distinct().toList();
                        assertThat(changed).hasSizeLessThanOrEqualTo(1);
                        if (!changed.isEmpty()) {
                            assertThat(opModSeqs.add(changed.get(0))).isTrue();
                            changingOps.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        assertThat(opModSeqs).hasSize(changingOps.get());
        assertThat(inbox.status().highestModSeq()).isEqualTo(start + changingOps.get());
        for (long uid = 1; uid <= 10; uid++) {
            assertThat(inbox.message(uid).orElseThrow().flags()).isEqualTo(Flags.NONE);
        }
    }

    @Test
    void concurrentHierarchyChangesStayConsistent() throws Exception {
        List<java.util.concurrent.Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            tasks.add(() -> {
                java.util.Random r = new java.util.Random(id);
                for (int i = 0; i < 150; i++) {
                    MailboxName a = name("f" + r.nextInt(6) + ".s" + r.nextInt(3));
                    MailboxName b = name("f" + r.nextInt(6));
                    try {
                        switch (r.nextInt(5)) {
                            case 0 -> ann.create(a);
                            case 1 -> ann.delete(a);
                            case 2 -> ann.rename(b, name("g" + r.nextInt(6)));
                            case 3 -> ann.create(b);
                            default -> {
                                try (Mailbox box = ann.open(a)) {
                                    box.append(msg("into " + a));
                                }
                            }
                        }
                    } catch (MailStoreException e) {
                        assertThat(e.reason()).isIn(MailStoreException.Reason.NOT_FOUND,
                                MailStoreException.Reason.ALREADY_EXISTS, MailStoreException.Reason.NOT_ALLOWED);
                    }
                }
                return null;
            });
        }
        runConcurrently(tasks);
        long messages = 0;
        for (MailboxInfo i : ann.list()) {
            if (i.selectable()) {
                try (Mailbox box = ann.open(i.name())) {
                    messages += box.status().messages();
                }
            } else {
                assertThat(i.hasChildren()).isTrue();
            }
        }
        assertThat(ann.quota().usedMessages()).isEqualTo(messages);
    }

    // ================================================================================================ values

    @Test
    void flagsIgnoreKeywordCase() {
        assertThat(flags("$Junk", "\\Seen")).isEqualTo(flags("\\SEEN", "$junk"));
        assertThat(flags("$Junk").union(flags("$JUNK")).keywords()).hasSize(1);
        assertThat(flags("\\Seen", "a", "b").minus(flags("A"))).isEqualTo(flags("\\Seen", "b"));
        assertThat(reasonOf(() -> flags("\\Bogus"))).isEqualTo(MailStoreException.Reason.INVALID_NAME);
        assertThat(reasonOf(() -> flags("bad word"))).isEqualTo(MailStoreException.Reason.INVALID_NAME);
        assertThat(flags("\\Recent")).isEqualTo(Flags.NONE);
    }

    /** Helper for subclasses: bytes of a message. */
    protected static byte[] bytesOf(MessageSource m) {
        return m.toByteArray();
    }

    /** Helper for subclasses: writes a stream fully. */
    protected static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }

    /** Helper for subclasses: the UIDs of a view's snapshot. */
    protected static long[] snapshot(MailboxView v) {
        long[] out = new long[v.messageCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.uid(i + 1);
        }
        return out;
    }

    /** Helper for subclasses: whether the array ascends strictly. */
    protected static boolean ascending(long[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i] <= a[i - 1]) {
                return false;
            }
        }
        return true;
    }

    static String describe(long[] a) {
        return Arrays.toString(a);
    }
}
