package dev.mailkit.web.internal.mail;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.web.internal.http.HttpException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchQueryTest {
    private static Digest digest(String raw, Instant received) throws IOException {
        MessageSource src = MessageSource.ofText(raw);
        return Digest.of(new MessageInfo(7, Flags.NONE, received, src.size(), 1), MessageStructure.parse(src), src);
    }

    private static boolean matches(String query, Digest d, Flags flags) {
        return SearchQuery.parse(query, ZoneOffset.UTC).matches(d, flags);
    }

    @Test
    void termsKeysPhrasesAndNegation() throws IOException {
        Digest d = digest("From: \"Jane Doe\" <jane@example.org>\r\nTo: team@example.test, Boss <boss@example.test>\r\n"
                + "Cc: cc@example.test\r\nReply-To: replies@example.org\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= from "
                + "Berlin\r\nMessage-ID: <abc@example.org>\r\nReturn-Path: <bounce@example.org>\r\nContent-Type: "
                + "multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>The <b>quarterly</b>"
                + " numbers&nbsp;are in</p><script>secret()</script>\r\n--b\r\nContent-Type: application/pdf; name="
                + "report.pdf\r\n\r\n%PDF\r\n--b--\r\n", Instant.parse("2024-05-01T12:00:00Z"));
        Flags seen = Flags.of(List.of(SystemFlag.SEEN), List.of("Tag+1"));
        assertThat(matches("jane", d, seen)).isTrue();
        assertThat(matches("from:\"jane doe\"", d, seen)).isTrue();
        assertThat(matches("from:boss", d, seen)).isFalse();
        assertThat(matches("to:boss addressed:cc@example.test", d, seen)).isTrue();
        assertThat(matches("subject:grüße", d, seen)).isTrue();
        assertThat(matches("\"numbers are in\"", d, seen)).isTrue();
        assertThat(matches("secret", d, seen)).as("script content is not text").isFalse();
        assertThat(matches("report.pdf has:attachment", d, seen)).isTrue();
        assertThat(matches("message-id:<abc@example.org> reply-to:replies return-path:bounce", d, seen)).isTrue();
        assertThat(matches("is:read -is:unread tag:\"tag 1\" is:tagged", d, seen)).isTrue();
        assertThat(matches("is:unread", d, seen)).isFalse();
        assertThat(matches("!from:jane", d, seen)).isFalse();
        assertThat(matches("-quarterly", d, seen)).isFalse();
        assertThat(matches("after:2024-05-01 before:2024-05-02", d, seen)).isTrue();
        assertThat(matches("after:2024-05-01T12:00:01", d, seen)).isFalse();
        assertThat(SearchQuery.parse("before:2024-05-01T14:00", ZoneId.of("Europe/Berlin")).matches(d, seen))
                .as("14:00 in Berlin is 12:00 UTC").isFalse();
        assertThat(matches("larger:100 smaller:10k", d, seen)).isTrue();
        assertThat(matches("larger:1M", d, seen)).isFalse();
        assertThat(d.snippet).isEqualTo("The quarterly numbers are in");
    }

    @Test
    void badValuesAreRefusedNotIgnored() {
        for (String q : List.of("before:yesterday", "larger:lots", "is:maybe", "has:everything")) {
            assertThatThrownBy(() -> SearchQuery.parse(q, ZoneOffset.UTC)).as(q).isInstanceOf(HttpException.class);
        }
        assertThat(SearchQuery.parse("  \"\"  unknown:key ", ZoneOffset.UTC).isEmpty()).isFalse();
    }
}
