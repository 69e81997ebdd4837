package dev.mailkit.store;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.store.mime.MessageStructure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract, part 2: messages, UIDs, keywords and quotas (a part of {@link MailStoreContractTest}). */
public abstract class MessageContract extends HierarchyContract {
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
}
