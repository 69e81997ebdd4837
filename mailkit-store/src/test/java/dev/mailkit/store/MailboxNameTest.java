package dev.mailkit.store;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailboxNameTest {
    @Test
    void hostileNamesAreRefusedWithAReason() {
        List<String[]> cases = List.of(
                new String[] {"", "is empty"},
                new String[] {".", "begins with the delimiter"},
                new String[] {"..", "begins with the delimiter"},
                new String[] {".hidden", "begins with the delimiter"},
                new String[] {"a.", "ends with the delimiter"},
                new String[] {"a..b", "empty level"},
                new String[] {"../../etc/passwd", "begins with the delimiter"},
                new String[] {"a/../b", "empty level"},
                new String[] {"a/b", "path separator"},
                new String[] {"/etc", "path separator"},
                new String[] {"a\\b", "path separator"},
                new String[] {"C:\\x", "path separator"},
                new String[] {"a\u0000b", "NUL"},
                new String[] {"a\r\nb", "control character"},
                new String[] {"bell\u0007", "control character"},
                new String[] {"del\u007f", "control character"},
                new String[] {"c1\u0085", "control character"},
                new String[] {"*", "'*'"},
                new String[] {"a%b", "'%'"},
                new String[] {"evil\u202Etxt.exe", "format character"},
                new String[] {"zero\u200Bwidth", "format character"},
                new String[] {"bom\uFEFF", "format character"},
                new String[] {"line\u2028sep", "separator"},
                new String[] {" leading", "white space"},
                new String[] {"trailing ", "white space"},
                new String[] {"a. b", "white space"},
                new String[] {"nbsp\u00A0", "white space"},
                new String[] {"e\u0301", "NFC"},
                new String[] {"a\uFF0Fb", "looks like '/'"},
                new String[] {"a\u2215b", "looks like a slash"},
                new String[] {"1\u20442", "looks like a slash"},
                new String[] {"a\u2024b", "looks like '.'"},
                new String[] {"\u2025", "looks like '.'"},
                new String[] {"a\uFF3Cb", "looks like '\\'"},
                new String[] {"ＩＮＢＯＸ", "only looks like INBOX"},
                new String[] {"Ｉnbox.x", "only looks like INBOX"},
                new String[] {"bad\uD800", "unpaired surrogate"},
                new String[] {"bad\uDC00x", "unpaired surrogate"},
                new String[] {"non\uFFFE", "noncharacter"},
                new String[] {"x".repeat(251), "octets long"},
                new String[] {"日本語".repeat(40), "octets long"});
        for (String[] c : cases) {
            assertThatThrownBy(() -> MailboxName.of(c[0])).as(NameChecks.quote(c[0]))
                    .isInstanceOfSatisfying(MailStoreException.class,
                            e -> assertThat(e.reason()).isEqualTo(MailStoreException.Reason.INVALID_NAME))
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void inboxIsCaseInsensitiveOnlyAtTheTop() {
        assertThat(MailboxName.of("inbox")).isSameAs(MailboxName.INBOX);
        assertThat(MailboxName.of("InBoX").isInbox()).isTrue();
        assertThat(MailboxName.of("inbox.Sub").toString()).isEqualTo("INBOX.Sub");
        assertThat(MailboxName.of("inbox.Sub").isInbox()).isFalse();
        assertThat(MailboxName.of("Work.inbox").toString()).isEqualTo("Work.inbox");
        assertThat(MailboxName.of("Work")).isNotEqualTo(MailboxName.of("work"));
    }

    @Test
    void hierarchyHelpers() {
        MailboxName n = MailboxName.of("a.b.c");
        assertThat(n.levels()).containsExactly("a", "b", "c");
        assertThat(n.depth()).isEqualTo(3);
        assertThat(n.leaf()).isEqualTo("c");
        assertThat(n.parent()).contains(MailboxName.of("a.b"));
        assertThat(MailboxName.of("a").parent()).isEmpty();
        assertThat(n.ancestors()).containsExactly(MailboxName.of("a"), MailboxName.of("a.b"));
        assertThat(n.isInferiorOf(MailboxName.of("a"))).isTrue();
        assertThat(n.isInferiorOf(n)).isFalse();
        assertThat(MailboxName.of("ab").isInferiorOf(MailboxName.of("a"))).isFalse();
        assertThat(n.moved(MailboxName.of("a"), MailboxName.of("x.y"))).isEqualTo(MailboxName.of("x.y.b.c"));
        assertThat(MailboxName.of("a").child("b")).isEqualTo(MailboxName.of("a.b"));
        assertThatThrownBy(() -> MailboxName.of("a").child("b.c")).isInstanceOf(MailStoreException.class);
        assertThat(MailboxName.of("Entwürfe").toModifiedUtf7()).isEqualTo("Entw&APw-rfe");
        assertThat(List.of(MailboxName.of("b"), MailboxName.of("INBOX.z"), MailboxName.of("A"), MailboxName.INBOX)
                .stream().sorted().map(Object::toString)).containsExactly("INBOX", "INBOX.z", "A", "b");
    }

    @Test
    void validNames() {
        for (String s : List.of("INBOX", "Sent Items", "[Gmail].All Mail", "a&b", "Entwürfe", "日本語", "📬",
                "x".repeat(250), "Tom's", "a-b_c+d", "~user", "#news")) {
            assertThat(MailboxName.of(s).toString()).isEqualTo(s);
        }
    }
}
