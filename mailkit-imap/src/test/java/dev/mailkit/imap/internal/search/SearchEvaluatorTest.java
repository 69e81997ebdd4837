package dev.mailkit.imap.internal.search;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.SearchCommand;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageFlags;
import dev.mailkit.imap.internal.protocol.CommandParser;
import dev.mailkit.imap.internal.protocol.CommandReader;
import dev.mailkit.imap.testing.TestMessage;
import dev.mailkit.imap.testing.TestPart;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SearchEvaluatorTest {
    static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");

    /** A two-part message: quoted-printable ISO-8859-1 text and a base64 UTF-8 text. */
    static TestMessage message() {
        String text = "From: =?utf-8?q?J=C3=B6rg?= <joerg@example.de>\r\nTo: team@example.com\r\n"
                + "Subject: Quarterly report\r\nDate: Tue, 5 Mar 2024 23:30:00 -0800\r\nX-Mailer: Test 1.0\r\n"
                + "X-Folded: first\r\n second\r\n"
                + "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                + "\r\nGr=FC=DFe aus M=FCnchen, soft=\r\nbreak here\r\n"
                + "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder().encodeToString("Ελληνικά κείμενο".getBytes(StandardCharsets.UTF_8))
                + "\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\nsecret-binary-word\r\n--b--\r\n";
        TestMessage m = new TestMessage(text);
        TestPart p1 = TestPart.of("text", "plain").param("charset", "iso-8859-1").offsets(m.after("--b\r\n", 1),
                m.after("quoted-printable\r\n\r\n", 1), m.at("\r\n--b", 2));
        p1.encoding = "quoted-printable";
        TestPart p2 = TestPart.of("text", "plain").param("charset", "utf-8").offsets(m.after("--b\r\n", 2),
                m.after("base64\r\n\r\n", 1), m.at("\r\n--b", 3));
        p2.encoding = "base64";
        TestPart p3 = TestPart.of("application", "octet-stream").offsets(m.after("--b\r\n", 3),
                m.after("octet-stream\r\n\r\n", 1), m.at("\r\n--b--", 1));
        m.structure = TestPart.of("multipart", "mixed").param("boundary", "b")
                .offsets(0, m.after("\r\n\r\n", 1), m.bytes.length).child(p1).child(p2).child(p3);
        m.envelope = new EnvelopeFields.Of("Tue, 5 Mar 2024 23:30:00 -0800", "Quarterly report",
                "=?utf-8?q?J=C3=B6rg?= <joerg@example.de>", null, null, "team@example.com", null, null, null,
                "<id@x>");
        m.uid = 17;
        m.modseq = 40;
        m.flags = MessageFlags.of(MessageFlags.SEEN | MessageFlags.FLAGGED, List.of("$Work"));
        m.internalDate = Instant.parse("2024-03-06T08:00:00Z");
        return m;
    }

    static SearchKey key(String criteria) throws Exception {
        String line = "t SEARCH " + criteria + "\r\n";
        CommandReader r = new CommandReader(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)), () -> { });
        return ((SearchCommand) new CommandParser(r, MessageSpool.temporary(), 1000).next(n -> { })).key();
    }

    static boolean matches(String criteria) throws Exception {
        SearchEvaluator e = new SearchEvaluator(new SearchContext(20, 30, ZoneOffset.UTC, NOW));
        return e.matches(SearchEvaluator.optimize(key(criteria)), 5, message());
    }

    @Test
    void indexDataKeys() throws Exception {
        assertThat(matches("ALL")).isTrue();
        assertThat(matches("SEEN FLAGGED UNANSWERED UNDELETED UNDRAFT")).isTrue();
        assertThat(matches("UNSEEN")).isFalse();
        assertThat(matches("OLD")).isTrue();
        assertThat(matches("NEW")).isFalse();
        assertThat(matches("KEYWORD $work")).isTrue();
        assertThat(matches("UNKEYWORD $Work")).isFalse();
        assertThat(matches("5")).isTrue();
        assertThat(matches("1:4,6:*")).isFalse();
        assertThat(matches("20:*")).isFalse();
        assertThat(matches("UID 17")).isTrue();
        assertThat(matches("UID 20:*")).isFalse();
        assertThat(matches("UID 31:*")).isFalse();
        assertThat(matches("LARGER 100 SMALLER 100000")).isTrue();
        assertThat(matches("LARGER 100000")).isFalse();
        assertThat(matches("MODSEQ 40")).isTrue();
        assertThat(matches("MODSEQ 41")).isFalse();
        assertThat(matches("OLDER 3600 YOUNGER 864000")).isTrue();
        assertThat(matches("YOUNGER 3600")).isFalse();
    }

    @Test
    void dates() throws Exception {
        assertThat(matches("ON 6-Mar-2024")).isTrue();
        assertThat(matches("SINCE 6-Mar-2024 BEFORE 7-Mar-2024")).isTrue();
        assertThat(matches("BEFORE 6-Mar-2024")).isFalse();
        // the Date: header's own calendar day counts, not UTC's (6 Mar 07:30 UTC)
        assertThat(matches("SENTON 5-Mar-2024")).isTrue();
        assertThat(matches("SENTBEFORE 5-Mar-2024")).isFalse();
        assertThat(matches("SENTSINCE 5-Mar-2024 SENTBEFORE 6-Mar-2024")).isTrue();
        assertThat(SentDate.parse("5 Mar 24 10:00 GMT")).isEqualTo(LocalDate.of(2024, 3, 5));
        assertThat(SentDate.parse("Thu, 01 Feb 1990 01:02:03 +0000 (UTC)")).isEqualTo(LocalDate.of(1990, 2, 1));
        assertThat(SentDate.parse("garbage")).isNull();
        assertThat(SentDate.parse("31 Feb 2024")).isNull();
    }

    @Test
    void headersDecodedAndCaseInsensitive() throws Exception {
        assertThat(matches("FROM \"jörg\"")).isTrue();
        assertThat(matches("FROM JOERG@EXAMPLE")).isTrue();
        assertThat(matches("TO team")).isTrue();
        assertThat(matches("SUBJECT \"quarterly REPORT\"")).isTrue();
        assertThat(matches("SUBJECT annual")).isFalse();
        assertThat(matches("CC x")).isFalse();
        assertThat(matches("HEADER X-Mailer \"test 1\"")).isTrue();
        assertThat(matches("HEADER x-mailer \"\"")).isTrue();
        assertThat(matches("HEADER X-Missing \"\"")).isFalse();
        assertThat(matches("HEADER X-Folded \"first second\"")).isTrue();
    }

    @Test
    void bodyTextIsDecodedFromTransferEncodingAndCharset() throws Exception {
        assertThat(matches("BODY \"grüße aus münchen\"")).isTrue();
        assertThat(matches("BODY \"GRÜSSE\"")).isFalse();
        assertThat(matches("BODY \"softbreak here\"")).isTrue();
        assertThat(matches("BODY \"κείμενο\"")).isTrue();
        assertThat(matches("BODY \"ΕΛΛΗΝΙΚΆ\"")).isTrue();
        assertThat(matches("BODY secret-binary-word")).isFalse();
        assertThat(matches("BODY quarterly")).isFalse();
        assertThat(matches("TEXT quarterly")).isTrue();
        assertThat(matches("TEXT x-mailer")).isTrue();
        assertThat(matches("TEXT \"münchen\"")).isTrue();
        assertThat(matches("BODY \"\"")).isTrue();
    }

    @Test
    void booleanCombinations() throws Exception {
        assertThat(matches("OR UNSEEN FROM \"jörg\"")).isTrue();
        assertThat(matches("NOT (SEEN FLAGGED)")).isFalse();
        assertThat(matches("(SEEN (FLAGGED (KEYWORD $Work)))")).isTrue();
        assertThat(matches("OR (UNSEEN) (DELETED)")).isFalse();
        assertThat(matches("NOT NOT SEEN")).isTrue();
        assertThat(matches("OR SEEN FROM \"nobody\"")).isTrue();
    }

    @Test
    void optimizeRunsCheapKeysFirst() throws Exception {
        SearchKey k = SearchEvaluator.optimize(key("BODY x HEADER X-A y SUBJECT z UNSEEN"));
        assertThat(((SearchKey.And) k).keys().get(0)).isEqualTo(new SearchKey.Flag(MessageFlags.SEEN, false));
        assertThat(((SearchKey.And) k).keys().get(3)).isEqualTo(new SearchKey.Text(true, "x"));
        TestMessage m = message();
        m.flags = MessageFlags.NONE;
        // an index-only search never opens the content
        new SearchEvaluator(new SearchContext(20, 30, ZoneOffset.UTC, NOW)).matches(key("SEEN SUBJECT x"), 1, m);
        assertThat(m.contentsOpened).isZero();
    }

    @Test
    void textMatcherFindsOverlappingPrefixes() {
        TextMatcher t = new TextMatcher("aab");
        assertThat(t.find("aaab")).isTrue();
        assertThat(t.find("abab")).isFalse();
        assertThat(new TextMatcher("ABAB").find("xxababab")).isTrue();
        assertThat(new TextMatcher("straße").find("STRASSE")).isFalse();
        assertThat(new TextMatcher("İstanbul").find("istanbul")).isTrue();
    }
}
