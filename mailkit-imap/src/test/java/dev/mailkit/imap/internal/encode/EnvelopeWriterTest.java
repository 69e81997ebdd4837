package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.message.EnvelopeFields;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected values are what Dovecot 2.3 answers for the same header fields. */
class EnvelopeWriterTest {
    private static String addresses(String value) throws Exception {
        EnvelopeFields e = new EnvelopeFields.Of(null, null, null, null, null, value, null, null, null, null);
        String env = Render.of(w -> EnvelopeWriter.write(w, e));
        // (NIL NIL NIL NIL NIL <to> NIL NIL NIL NIL)
        return env.substring("(NIL NIL NIL NIL NIL ".length(), env.length() - " NIL NIL NIL NIL)".length());
    }

    @Test
    void addressFormsAsDovecotRendersThem() throws Exception {
        assertThat(addresses("\"Doe, John\" <john@example.com>, Jane   Roe <jane@example.com>, bare@example.org, "
                + "(Comment Name) c@x.org, d@y.org (Trailing Name)")).isEqualTo(
                "((\"Doe, John\" NIL \"john\" \"example.com\")(\"Jane Roe\" NIL \"jane\" \"example.com\")"
                        + "(NIL NIL \"bare\" \"example.org\")(NIL NIL \"c\" \"x.org\")"
                        + "(\"Trailing Name\" NIL \"d\" \"y.org\"))");
        assertThat(addresses("undisclosed-recipients:;, Team: a@b.c, \"q\" <d@e.f>;, nodomain, "
                + "\"quoted local\"@example.com, <@route1,@route2:user@host>")).isEqualTo(
                "((NIL NIL \"undisclosed-recipients\" NIL)(NIL NIL NIL NIL)(NIL NIL \"Team\" NIL)"
                        + "(NIL NIL \"a\" \"b.c\")(\"q\" NIL \"d\" \"e.f\")(NIL NIL NIL NIL)"
                        + "(NIL NIL \"nodomain\" \"MISSING_DOMAIN\")(NIL NIL \"quoted local\" \"example.com\")"
                        + "(NIL \"@route1,@route2\" \"user\" \"host\"))");
        assertThat(addresses("a@b, , \"x\" <y@z> (c), Group:;")).isEqualTo(
                "((NIL NIL \"a\" \"b\")(NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\")(\"x\" NIL \"y\" \"z\")"
                        + "(NIL NIL \"Group\" NIL)(NIL NIL NIL NIL))");
        assertThat(addresses("<>")).isEqualTo("((NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))");
        assertThat(addresses("=?utf-8?q?J=C3=B6rg?= <joerg@example.de>"))
                .isEqualTo("((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"joerg\" \"example.de\"))");
        assertThat(addresses("")).isEqualTo("NIL");
        assertThat(addresses("J\u00f6rg <j@x>")).isEqualTo("(({5}\r\nJ\u00f6rg NIL \"j\" \"x\"))");
    }

    @Test
    void garbageNeverThrows() throws Exception {
        for (String s : new String[] {"<<<>>>", "@@@", ":::;;;", "\"unterminated", "(unterminated", "a@", "@b",
            ",,,", "<a@b", "x <@a,@b>", "[1.2.3.4]", "a@[1.2.3.4]", "\\", ">"}) {
            assertThat(addresses(s)).isNotNull();
        }
        assertThat(addresses("a@[1.2.3.4]")).isEqualTo("((NIL NIL \"a\" \"[1.2.3.4]\"))");
    }

    /**
     * Found by AddressParserFuzzTest (input timeout-0080265751...): a ')' outside a comment made the tokenizer loop
     * forever adding empty atoms, so one message with {@code To: a) b} hung the IMAP session that fetched its ENVELOPE
     * and exhausted the heap. The stray parenthesis is now skipped like the other misplaced specials.
     */
    @Test
    void strayClosingParenthesisIsSkipped() {
        String header = "a) <b@c.d>, e@f.g )";
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> addresses(header))).isEqualTo(
                "((\"a )\" NIL \"b\" \"c.d\")(NIL NIL \"e\" \"f.g\"))");
        assertThat(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> addresses(")".repeat(100_000)))).isEqualTo("((NIL NIL \"MISSING_MAILBOX\" \"MISSING_DOMAIN\"))");
    }

    @Test
    void fullEnvelopeWithDefaultsForSenderAndReplyTo() throws Exception {
        EnvelopeFields e = new EnvelopeFields.Of("Mon, 1 Jan 2024 10:00:00 +0100", "Hello  world",
                "Joe <joe@x>", null, "", "a@b", null, null, "<prev@x>", "<abc@x>");
        assertThat(Render.of(w -> EnvelopeWriter.write(w, e))).isEqualTo(
                "(\"Mon, 1 Jan 2024 10:00:00 +0100\" \"Hello world\" ((\"Joe\" NIL \"joe\" \"x\")) "
                        + "((\"Joe\" NIL \"joe\" \"x\")) ((\"Joe\" NIL \"joe\" \"x\")) ((NIL NIL \"a\" \"b\")) NIL NIL "
                        + "\"<prev@x>\" \"<abc@x>\")");
        EnvelopeFields none = new EnvelopeFields.Of(null, "plain", null, null, null, null, null, null, null, null);
        assertThat(Render.of(w -> EnvelopeWriter.write(w, none)))
                .isEqualTo("(NIL \"plain\" NIL NIL NIL NIL NIL NIL NIL NIL)");
    }

    @Test
    void whitespaceInSubjectsIsCollapsed() {
        assertThat(EnvelopeWriter.collapseWhitespace("plain")).isEqualTo("plain");
        assertThat(EnvelopeWriter.collapseWhitespace("a b")).isEqualTo("a b");
        assertThat(EnvelopeWriter.collapseWhitespace("  a \t b\r\n c ")).isEqualTo("a b c");
        assertThat(EnvelopeWriter.collapseWhitespace(" ")).isEqualTo("");
    }
}
