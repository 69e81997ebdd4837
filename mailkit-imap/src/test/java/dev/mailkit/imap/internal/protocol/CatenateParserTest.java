package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.CatenatePart;
import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.message.MessageFlags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mailkit.imap.internal.protocol.ParserHarness.fail;
import static org.assertj.core.api.Assertions.assertThat;

/** APPEND's CATENATE data item (RFC 4469 5) as {@link CatenateParser} reads it through {@link CommandParser}. */
class CatenateParserTest {
    @Test
    void readsTextLiteralsLiteral8sAndUrlsAmongPlainMessages() throws Exception {
        ParserHarness h = new ParserHarness("a APPEND INBOX (\\Seen) catenate (URL \"/INBOX/;UID=1\" TEXT {3}\r\n"
                + "abc TEXT ~{2+}\r\n\0x URL {6+}\r\n;UID=2) {4+}\r\nplai CATENATE (URL x)\r\n");
        try (AppendCommand a = (AppendCommand) h.next()) {
            assertThat(a.messages()).hasSize(3);
            AppendCommand.Message m = a.messages().get(0);
            assertThat(m.flags()).isEqualTo(MessageFlags.of(MessageFlags.SEEN, List.of()));
            assertThat(m.content()).isNull();
            assertThat(m.parts()).hasSize(4);
            assertThat(m.parts().get(0)).isEqualTo(new CatenatePart.Url("/INBOX/;UID=1"));
            assertThat(((CatenatePart.Text) m.parts().get(1)).content().asString()).isEqualTo("abc");
            assertThat(((CatenatePart.Text) m.parts().get(2)).content().asString()).isEqualTo("\0x");
            assertThat(m.parts().get(3)).isEqualTo(new CatenatePart.Url(";UID=2"));
            assertThat(a.messages().get(1).content().asString()).isEqualTo("plai");
            assertThat(a.messages().get(2).parts()).containsExactly(new CatenatePart.Url("x"));
        }
        assertThat(h.continuations).isEqualTo(1);
    }

    @Test
    void utf8PartsOnlyAfterEnable() throws Exception {
        assertThat(fail("a APPEND INBOX CATENATE (UTF8 (~{1}\r\nx))\r\n").getMessage())
                .contains("ENABLE UTF8=ACCEPT");
        ParserHarness h = new ParserHarness("a APPEND INBOX CATENATE (UTF8 (~{9+}\r\nS: \u00c3\u00a9\r\n\r\n) URL \";UID=1\")\r\n");
        h.parser.setUtf8(true);
        try (AppendCommand a = (AppendCommand) h.next()) {
            List<CatenatePart> parts = a.messages().get(0).parts();
            assertThat(((CatenatePart.Text) parts.get(0)).content().size()).isEqualTo(9);
            assertThat(parts.get(1)).isEqualTo(new CatenatePart.Url(";UID=1"));
        }
    }

    @Test
    void refusesEmptyListsUnknownPartsAndTextPastTheLimit() throws Exception {
        assertThat(fail("a APPEND INBOX CATENATE ()\r\n").getMessage()).isEqualTo("Empty CATENATE list");
        assertThat(fail("a APPEND INBOX CATENATE (BODY \"x\")\r\n").getMessage())
                .isEqualTo("expected TEXT or URL in the CATENATE list");
        assertThat(fail("a APPEND INBOX CATENATE (URL \"x\"\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a APPEND INBOX CATENATE URL \"x\"\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        // the TEXT literals together may not pass the APPEND limit: the second is refused before it is asked for
        ParserHarness h = new ParserHarness("a APPEND INBOX CATENATE (TEXT {6}\r\n123456 TEXT {5}\r\nb NOOP\r\n");
        h.parser.setAppendLimit(10);
        try {
            h.next();
            throw new AssertionError("expected TOOBIG");
        } catch (ParseException e) {
            assertThat(e.kind()).isEqualTo(ParseException.Kind.NO);
            assertThat(e.code()).isEqualTo("TOOBIG");
            assertThat(e.getMessage()).isEqualTo("the CATENATE parts are larger than the APPENDLIMIT of 10 octets");
        }
        assertThat(h.continuations).isEqualTo(1);
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }
}
