package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.LoginCommand;
import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.command.SearchCommand;
import org.junit.jupiter.api.Test;

import java.io.EOFException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hostile inputs of ../shared/notes/security.md, fed byte for byte into the reader and parser. */
class HostileInputParserTest {
    /** Limits as before login: 8 KiB lines and literals. */
    private static ParserHarness beforeLogin(String input) {
        return new ParserHarness(input).limits(8192, 8192, 32768, 8192);
    }

    private static ParseException refusal(ParserHarness h) throws Exception {
        try {
            Object c = h.next();
            throw new AssertionError("expected a refusal, got " + c);
        } catch (ParseException e) {
            return e;
        }
    }

    @Test
    void hugeSynchronisingLiteralBeforeLoginIsRefusedWithoutAContinuation() throws Exception {
        ParserHarness h = beforeLogin("a LOGIN {4294967295}\r\nb NOOP\r\n");
        ParseException e = refusal(h);
        assertThat(e.tag()).isEqualTo("a");
        assertThat(e.code()).isEqualTo("TOOBIG");
        assertThat(h.continuations).isZero();
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void hugeNonSynchronisingLiteralCannotBeSkippedSoTheConnectionMustClose() throws Exception {
        ParserHarness h = beforeLogin("a LOGIN {4294967295+}\r\nxxxx");
        ParseException e = refusal(h);
        assertThat(e.code()).isEqualTo("TOOBIG");
        assertThat(h.reader.skipCommand()).isFalse();
    }

    @Test
    void absurdLiteralSizesDoNotOverflow() throws Exception {
        ParserHarness h = beforeLogin("a LOGIN {99999999999999999999999999999}\r\n");
        assertThat(refusal(h).code()).isEqualTo("TOOBIG");
        ParserHarness big = new ParserHarness("a LOGIN {3000000000}\r\n").limits(8192, Long.MAX_VALUE,
                Long.MAX_VALUE, 0);
        assertThat(refusal(big).code()).isEqualTo("TOOBIG");
    }

    @Test
    void smallRefusedNonSynchronisingLiteralIsDrainedAndTheNextCommandWorks() throws Exception {
        String hundred = "x".repeat(100);
        ParserHarness h = new ParserHarness("a LOGIN {100+}\r\n" + hundred + " {3+}\r\nabc\r\nb NOOP\r\n")
                .limits(8192, 50, 32768, 1000);
        assertThat(refusal(h).code()).isEqualTo("TOOBIG");
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void aLiteralIsNotAllocatedFromItsAnnouncedSize() throws Exception {
        // 60000 announced, 10 sent, then the client disappears: only what arrived was held
        ParserHarness h = new ParserHarness("a LOGIN {60000+}\r\n0123456789");
        assertThatThrownBy(h::next).isInstanceOf(EOFException.class);
    }

    @Test
    void overlongLineIsAnsweredWithItsTagAndTheBufferStaysBounded() throws Exception {
        ParserHarness h = beforeLogin("a1 LOGIN " + "a".repeat(1_000_000) + "\r\nb NOOP\r\n");
        ParseException e = refusal(h);
        assertThat(e.tag()).isEqualTo("a1");
        assertThat(e.getMessage()).contains("longer than the limit");
        assertThat(h.reader.lineCapacity()).isLessThanOrEqualTo(8193);
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void overlongLineEndingInANonSynchronisingLiteralDrainsIt() throws Exception {
        ParserHarness h = beforeLogin("a1 LOGIN " + "a".repeat(20_000) + " {5+}\r\nhello\r\nb NOOP\r\n");
        assertThat(refusal(h).tag()).isEqualTo("a1");
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void overlongLineWithoutATagGetsAnUntaggedBad() throws Exception {
        ParserHarness h = beforeLogin("(".repeat(20_000) + "\r\nb NOOP\r\n");
        assertThat(refusal(h).tag()).isNull();
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void deepParenthesesAreRefusedNotRecursedInto() throws Exception {
        ParserHarness h = new ParserHarness("a SEARCH " + "(".repeat(10_000) + "ALL" + ")".repeat(10_000)
                + "\r\nb NOOP\r\n");
        h.parser.tokens().setMaxDepth(100);
        ParseException e = refusal(h);
        assertThat(e.tag()).isEqualTo("a");
        assertThat(e.code()).isEqualTo("CLIENTBUG");
        assertThat(e.getMessage()).contains("nesting");
        assertThat(h.reader.skipCommand()).isTrue();
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }

    @Test
    void deepNotAndOrChainsAreRefused() throws Exception {
        ParserHarness not = new ParserHarness("a SEARCH " + "NOT ".repeat(10_000) + "ALL\r\n");
        not.parser.tokens().setMaxDepth(100);
        assertThat(refusal(not).getMessage()).contains("nesting");
        ParserHarness or = new ParserHarness("a SEARCH " + "OR ".repeat(10_000) + "ALL ALL\r\n");
        or.parser.tokens().setMaxDepth(100);
        assertThat(refusal(or).getMessage()).contains("nesting");
        ParserHarness ok = new ParserHarness("a SEARCH " + "OR ".repeat(50) + "ALL".repeat(1) + " ALL".repeat(50)
                + "\r\n");
        ok.parser.tokens().setMaxDepth(100);
        assertThat(ok.next()).isInstanceOf(SearchCommand.class);
    }

    @Test
    void manySmallLiteralsCannotGrowACommandWithoutBound() throws Exception {
        StringBuilder sb = new StringBuilder("a SEARCH");
        for (int i = 0; i < 100; i++) {
            sb.append(" TEXT {1000+}\r\n").append("y".repeat(1000));
        }
        sb.append("\r\n");
        ParserHarness h = new ParserHarness(sb.toString()).limits(8192, 8192, 32768, 8192);
        assertThat(refusal(h).getMessage()).contains("command is larger");
    }

    @Test
    void nulAndBareControlCharactersAreRejected() throws Exception {
        assertThat(refusal(new ParserHarness("a LOGIN \"a\0b\" x\r\n")).tag()).isEqualTo("a");
        assertThat(refusal(new ParserHarness("a LOGIN a\0b x\r\n")).tag()).isEqualTo("a");
        // a literal may carry any octet except NUL-free rules IMAP leaves to the server: it is taken as data
        assertThat(new ParserHarness("a LOGIN {3+}\r\na\rb x\r\n").next()).isEqualTo(new LoginCommand("a", "a\rb",
                "x"));
    }

    @Test
    void bareLfLineEndsAreAccepted() throws Exception {
        ParserHarness h = new ParserHarness("a NOOP\nb NOOP\n");
        assertThat(h.next()).isEqualTo(new NoopCommand("a", "NOOP"));
        assertThat(h.next()).isEqualTo(new NoopCommand("b", "NOOP"));
    }
}
