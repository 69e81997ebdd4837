package dev.mailkit.imap.internal.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.imap.internal.command.ImapUrl;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link ImapUrlParser} with the URLs a client can put in a CATENATE list (any bytes, as
 * a literal can carry them). Properties: only {@link ImapUrlParser.InvalidUrlException} escapes, with a message; a
 * URL it accepts names one message (a UID from 1 to 2^32-1), its mailbox name and user name carry no control
 * characters, its partial range is sane, and parsing the same text again gives the same result.
 */
class ImapUrlParserFuzzTest {
    @FuzzTest
    void url(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        ImapUrl url;
        try {
            url = ImapUrlParser.parse(text);
        } catch (ImapUrlParser.InvalidUrlException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(url.uid()).isBetween(1L, 0xFFFFFFFFL);
        assertThat(url.uidValidity()).isBetween(0L, 0xFFFFFFFFL);
        for (String s : new String[] {url.mailbox(), url.user(), url.host()}) {
            if (s != null) {
                assertThat(s.chars().noneMatch(c -> c < 0x20 || c == 0x7F)).as(s).isTrue();
            }
        }
        if (url.section().partialOffset() >= 0) {
            assertThat(url.section().partialLength()).isPositive();
        }
        assertThat(ImapUrlParser.parse(text)).isEqualTo(url);
    }
}
