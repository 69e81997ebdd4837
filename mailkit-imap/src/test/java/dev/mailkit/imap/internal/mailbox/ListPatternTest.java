package dev.mailkit.imap.internal.mailbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ListPatternTest {
    private static boolean m(String pattern, String name) {
        return ListPattern.compile("", pattern, '/').matches(name);
    }

    @Test
    void starAndPercent() {
        assertThat(m("*", "INBOX")).isTrue();
        assertThat(m("*", "a/b/c")).isTrue();
        assertThat(m("%", "a")).isTrue();
        assertThat(m("%", "a/b")).isFalse();
        assertThat(m("%/%", "a/b")).isTrue();
        assertThat(m("a/%", "a/b/c")).isFalse();
        assertThat(m("a/*", "a/b/c")).isTrue();
        assertThat(m("a*c", "abc")).isTrue();
        assertThat(m("a*c", "abd")).isFalse();
        assertThat(m("a%c", "a/c")).isFalse();
        assertThat(m("", "a")).isFalse();
        assertThat(m("Sent", "Sent")).isTrue();
        assertThat(m("Sent", "sent")).isFalse();
        assertThat(m("*x*y*", "axbyc")).isTrue();
        assertThat(m("*%*%", "a/b")).isTrue();
        assertThat(m("%%", "a/b")).isFalse();
    }

    @Test
    void inboxIsCaseInsensitive() {
        assertThat(m("inbox", "INBOX")).isTrue();
        assertThat(m("Inbox/%", "INBOX/Sub")).isTrue();
        assertThat(m("INBOX", "inbox")).isTrue();
        assertThat(m("INBOXES", "inboxes")).isFalse();
    }

    @Test
    void referenceIsPrepended() {
        assertThat(ListPattern.compile("Archive/", "%", '/').matches("Archive/2024")).isTrue();
        assertThat(ListPattern.compile("Archive/", "%", '/').matches("Other/2024")).isFalse();
    }

    @Test
    void childrenCouldMatch() {
        assertThat(ListPattern.compile("", "a/%", '/').matchesSomeChildOf("a")).isTrue();
        assertThat(ListPattern.compile("", "b/%", '/').matchesSomeChildOf("a")).isFalse();
        assertThat(ListPattern.compile("", "%", '/').matchesSomeChildOf("a")).isFalse();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void hostilePatternsRunInLinearTime() {
        String evil = "*%".repeat(30_000) + "x";
        String name = "a".repeat(200);
        ListPattern p = ListPattern.compile("", evil, '/');
        for (int i = 0; i < 1000; i++) {
            assertThat(p.matches(name)).isFalse();
        }
        String manyLiterals = "*a".repeat(150) + "*b";
        ListPattern q = ListPattern.compile("", manyLiterals, '/');
        for (int i = 0; i < 1000; i++) {
            assertThat(q.matches("a".repeat(300))).isFalse();
        }
    }
}
