package dev.mailkit.store;

import dev.mailkit.core.ModifiedUtf7;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTypesTest {
    @Test
    void modifiedUtf7RoundTripsAndIsStrict() {
        String[][] pairs = {
                {"INBOX", "INBOX"}, {"Entwürfe", "Entw&APw-rfe"}, {"a&b", "a&-b"}, {"&", "&-"},
                {"日本語", "&ZeVnLIqe-"}, {"📬", "&2D3c7A-"}, {"~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"},
                {"", ""}};
        for (String[] p : pairs) {
            assertThat(ModifiedUtf7.encode(p[0])).isEqualTo(p[1]);
            assertThat(ModifiedUtf7.decode(p[1])).isEqualTo(p[0]);
            assertThat(ModifiedUtf7.encodedLength(p[0])).isEqualTo(p[1].length());
        }
        for (String bad : List.of("&", "&AGE", "&AGE-&AGE-", "&AEE-", "&AGE=-", "ü", "a\u0001", "&2D0-", "&3Cw-",
                "&APx-", "&AP-")) {
            assertThatThrownBy(() -> ModifiedUtf7.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("modified UTF-7");
        }
    }

    @Test
    void uidSetsMergeAndPrint() {
        UidSet s = UidSet.builder().add(7).addRange(3, 1).add(4).add(9).addRange(10, 12).add(2).build();
        assertThat(s.toString()).isEqualTo("1:4,7,9:12");
        assertThat(s.size()).isEqualTo(9);
        assertThat(s.rangeCount()).isEqualTo(3);
        assertThat(s.contains(8)).isFalse();
        assertThat(s.contains(11)).isTrue();
        assertThat(s.first()).isEqualTo(1);
        assertThat(s.last()).isEqualTo(12);
        assertThat(s.stream().boxed().toList()).containsExactly(1L, 2L, 3L, 4L, 7L, 9L, 10L, 11L, 12L);
        assertThat(s).containsExactly(1L, 2L, 3L, 4L, 7L, 9L, 10L, 11L, 12L);
        assertThat(UidSet.parse("1:4,7,12:9")).isEqualTo(s);
        assertThat(UidSet.all().size()).isEqualTo(UidSet.MAX_UID);
        assertThat(UidSet.all().contains(UidSet.MAX_UID)).isTrue();
        assertThat(UidSet.EMPTY.isEmpty()).isTrue();
        assertThat(UidSet.EMPTY.toString()).isEmpty();
        for (String bad : List.of("", "0", "1:", ":3", "a", "1,,2", "4294967296", "*", "1:*", "-1")) {
            assertThatThrownBy(() -> UidSet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> UidSet.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(UidSet.EMPTY::first).isInstanceOf(java.util.NoSuchElementException.class);
    }

    @Test
    void flags() {
        Flags f = Flags.parse(List.of("\\Seen", "\\deleted", "$Junk", "$junk", "Work", "\\Recent"));
        assertThat(f.systemFlags()).containsExactlyInAnyOrder(SystemFlag.SEEN, SystemFlag.DELETED);
        assertThat(f.keywords()).containsExactly("$Junk", "Work");
        assertThat(f.containsKeyword("WORK")).isTrue();
        assertThat(f.toString()).isEqualTo("(\\Seen \\Deleted $Junk Work)");
        assertThat(f.toImapNames()).containsExactly("\\Seen", "\\Deleted", "$Junk", "Work");
        assertThat(f.with(SystemFlag.DRAFT).contains(SystemFlag.DRAFT)).isTrue();
        assertThat(Flags.of(Set.of(SystemFlag.SEEN), List.of())).isSameAs(Flags.of(SystemFlag.SEEN));
        assertThat(Flags.NONE.isEmpty()).isTrue();
        assertThat(Flags.ofBits(f.systemBits(), f.keywords())).isEqualTo(f);
        for (String bad : List.of("", "a b", "(x", "x)", "{", "a%", "a*", "q\"", "back\\slash", "br]", "\\NoSuch",
                "ctl\u0001", "ümlaut", "x".repeat(101))) {
            assertThatThrownBy(() -> Flags.parse(List.of(bad))).as(bad).isInstanceOf(MailStoreException.class);
        }
        assertThat(Flags.isValidKeyword("$MDNSent")).isTrue();
        assertThat(SystemFlag.fromImapName("\\SEEN")).isEqualTo(SystemFlag.SEEN);
        assertThat(SystemFlag.fromImapName("\\Recent")).isNull();
        assertThat(SpecialUse.fromAttribute("\\sent")).isEqualTo(SpecialUse.SENT);
        assertThatThrownBy(() -> SpecialUse.fromAttribute("\\Inbox")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void quotaArithmeticDoesNotOverflow() {
        Quota q = new Quota(10, 1, QuotaLimits.UNLIMITED);
        assertThat(q.allows(Long.MAX_VALUE - 10)).isTrue();
        assertThat(q.isFull()).isFalse();
        assertThat(new Quota(100, 1, QuotaLimits.ofBytes(100)).isFull()).isTrue();
        assertThatThrownBy(() -> new QuotaLimits(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(QuotaLimits.ofBytes(5).isLimited()).isTrue();
        assertThat(QuotaLimits.UNLIMITED.isLimited()).isFalse();
    }

    @Test
    void accountIds() {
        AccountId a = AccountId.parse("John.Doe@Example.ORG");
        assertThat(a.localPart()).isEqualTo("john.doe");
        assertThat(a.domain()).isEqualTo("example.org");
        assertThat(a.toString()).isEqualTo("john.doe@example.org");
        assertThatThrownBy(() -> AccountId.parse("not an address")).isInstanceOfSatisfying(MailStoreException.class,
                e -> assertThat(e.reason()).isEqualTo(MailStoreException.Reason.INVALID_NAME));
    }
}
