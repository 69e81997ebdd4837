package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.ImapUrl;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ImapUrlParser}: RFC 5092 URLs in the forms CATENATE takes (RFC 4469 3.1), and what it refuses. */
class ImapUrlParserTest {
    static BodySection whole() {
        return new BodySection(BodySection.Kind.BODY, true, List.of(), BodySection.Text.NONE, List.of(), -1, -1);
    }

    @Test
    void absoluteUrlWithUserAuthPortUidValiditySectionAndPartial() throws Exception {
        ImapUrl u = ImapUrlParser.parse("IMAP://joe%40example.com;AUTH=*@Mail.Example.net:1143/Sent%20Items%2F2024"
                + ";UIDVALIDITY=385759045/;UID=20/;SECTION=1.2.MIME/;PARTIAL=10.20");
        assertThat(u.user()).isEqualTo("joe@example.com");
        assertThat(u.host()).isEqualTo("Mail.Example.net");
        assertThat(u.port()).isEqualTo(1143);
        assertThat(u.mailbox()).isEqualTo("Sent Items/2024");
        assertThat(u.uidValidity()).isEqualTo(385759045L);
        assertThat(u.uid()).isEqualTo(20);
        assertThat(u.section()).isEqualTo(new BodySection(BodySection.Kind.BODY, true, List.of(1, 2),
                BodySection.Text.MIME, List.of(), 10, 20));
        assertThat(u.urlAuth()).isFalse();
    }

    @Test
    void pathAndRelativeForms() throws Exception {
        assertThat(ImapUrlParser.parse("/INBOX/;UID=1")).isEqualTo(new ImapUrl(null, null, -1, "INBOX", 0, 1,
                whole(), false));
        assertThat(ImapUrlParser.parse(";uid=7/;section=text")).isEqualTo(new ImapUrl(null, null, -1, null, 0, 7,
                new BodySection(BodySection.Kind.BODY, true, List.of(), BodySection.Text.TEXT, List.of(), -1, -1),
                false));
        ImapUrl net = ImapUrlParser.parse("//host/a/b/c/;UID=3/;PARTIAL=5");
        assertThat(net.host()).isEqualTo("host");
        assertThat(net.mailbox()).isEqualTo("a/b/c");
        assertThat(net.section().partialOffset()).isEqualTo(5);
        assertThat(net.section().partialLength()).isEqualTo(Long.MAX_VALUE);
        assertThat(ImapUrlParser.parse("/%E4%B8%AD%E6%96%87/;UID=1").mailbox()).isEqualTo("\u4e2d\u6587");
        assertThat(ImapUrlParser.parse("imap://[::1]:143/INBOX/;UID=1").host()).isEqualTo("[::1]");
    }

    @Test
    void headerFieldSections() throws Exception {
        BodySection s = ImapUrlParser.parse("/INBOX/;UID=1/;SECTION=2.HEADER.FIELDS.NOT%20(Subject%20x-a)").section();
        assertThat(s.part()).containsExactly(2);
        assertThat(s.text()).isEqualTo(BodySection.Text.HEADER_FIELDS_NOT);
        assertThat(s.fields()).containsExactly("SUBJECT", "X-A");
        assertThat(ImapUrlParser.parse("/INBOX/;UID=1/;SECTION=header").section().text())
                .isEqualTo(BodySection.Text.HEADER);
    }

    @Test
    void urlAuthIsFlaggedForTheCallerToRefuse() throws Exception {
        assertThat(ImapUrlParser.parse("/INBOX/;UID=1;URLAUTH=anonymous:internal:abc").urlAuth()).isTrue();
        assertThat(ImapUrlParser.parse("/INBOX/;UID=1;EXPIRE=2030-01-01T00:00:00Z;URLAUTH=user+x:internal:a")
                .urlAuth()).isTrue();
    }

    @Test
    void refusesWhatNamesNoSingleMessageOrIsMalformed() {
        String[][] bad = {
            {"", "empty URL"},
            {"/INBOX", "URL names no message (;UID= is missing)"},
            {"/INBOX;UIDVALIDITY=5", "URL names no message"},
            {"/INBOX/;UID=0", "UID cannot be zero"},
            {"/INBOX;UIDVALIDITY=0/;UID=1", "UIDVALIDITY cannot be zero"},
            {"/INBOX/;UID=99999999999", "invalid UID"},
            {"/INBOX/;UID=4294967296", "UID 4294967296 is larger than 4294967295"},
            {"/INBOX/;UID=1x", "invalid UID 1x"},
            {"/INBOX/;UID=1/;PARTIAL=1.0", "PARTIAL length cannot be zero"},
            {"/INBOX/;UID=1/;SECTION=", "empty section"},
            {"/INBOX/;UID=1/;SECTION=1.", "ends with '.'"},
            {"/INBOX/;UID=1/;SECTION=0", "section part number cannot be zero"},
            {"/INBOX/;UID=1/;SECTION=MIME", "MIME needs a part number"},
            {"/INBOX/;UID=1/;SECTION=HEADER.FIELDS%20()", "needs a parenthesised list"},
            {"/INBOX/;UID=1/;SECTION=HEADER.FIELDS%20(a%3Ab)", "invalid header field name a:b"},
            {"/INBOX/;UID=1/;SECTION=FOO", "unknown section FOO"},
            {"/INBOX/;UID=1/;SECTION=" + "1.".repeat(70) + "1", "too deep"},
            {"/INBOX/;UID=1/;FOO=1", "unexpected URL segment ;FOO=1"},
            {"/INBOX/;UID=1?SUBJECT%20x", "a message list URL"},
            {"/INBOX?ALL", "a message list URL"},
            {"INBOX/;UID=1", "a relative URL must start with '/'"},
            {"../x/;UID=1", "a relative URL must start with '/'"},
            {";SECTION=1", "URL names no message"},
            {"http://host/INBOX/;UID=1", "not an imap: URL"},
            {"imap://", "URL has no host"},
            {"imap://host", "URL names no mailbox"},
            {"imap://host:99999/INBOX/;UID=1", "invalid port 99999"},
            {"imap://host:/INBOX/;UID=1", "invalid port"},
            {"imap://;AUTH=@host/INBOX/;UID=1", "empty ;AUTH= mechanism"},
            {"/INBOX%/;UID=1", "malformed %-escape in the mailbox name"},
            {"/INBOX%zz/;UID=1", "malformed %-escape"},
            {"/%FF%FE/;UID=1", "the mailbox name is not UTF-8"},
            {"/IN%00BOX/;UID=1", "control character in the mailbox name"},
            {"/INBOX%0D%0A/;UID=1", "control character in the mailbox name"},
            {"/INBOX /;UID=1", "invalid character 0x20 at position 7"},
            {"/INBOX\r\n/;UID=1", "invalid character 0x0D at position 7"},
            {"/IN\"BOX/;UID=1", "invalid character '\"' at position 4"},
            {"/INBOX]/;UID=1", "'[' or ']' in the path"},
            {"/\u00e9/;UID=1", "invalid character 0xE9"},
            {"/" + "a".repeat(ImapUrlParser.MAX_LENGTH) + "/;UID=1", "URL longer than 2048 characters"},
        };
        for (String[] b : bad) {
            assertThatThrownBy(() -> ImapUrlParser.parse(b[0])).as(b[0])
                    .isInstanceOf(ImapUrlParser.InvalidUrlException.class).hasMessageContaining(b[1]);
        }
    }
}
