package dev.mailkit.sieve;

import dev.mailkit.core.MessageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scripts and messages written to hurt: each is refused or runs within bounds, with the outcome checked. */
class HostileScriptTest {
    private final Sieve sieve = Sieve.builder().zone(ZoneOffset.UTC).build();

    private SieveResult run(String script, String message) throws Exception {
        SieveScript s = SieveScript.compile("t", script);
        try (MessageSource m = MessageSource.ofText(message)) {
            return sieve.evaluate(s, new SieveEnvelope("a@b.test", "me@c.test"), m, n -> false);
        }
    }

    @Test
    void deeplyNestedBlocksAreRefusedWithTheLine() {
        String script = "if true {\n".repeat(5000) + "keep;\n" + "}\n".repeat(5000);
        assertThatThrownBy(() -> SieveScript.compile("deep", script)).isInstanceOf(SieveCompileException.class)
                .satisfies(e -> {
                    SieveCompileException c = (SieveCompileException) e;
                    assertThat(c.line()).isEqualTo(33);
                    assertThat(c.reason()).isEqualTo("cannot nest command blocks deeper than 32 levels");
                    assertThat(c.getMessage()).isEqualTo("deep: line 33: error: cannot nest command blocks deeper "
                            + "than 32 levels.");
                });
    }

    @Test
    void deeplyNestedTestsAreRefused() {
        String script = "if " + "not ".repeat(100_000) + "true { keep; }";
        assertThatThrownBy(() -> SieveScript.compile("t", script))
                .hasMessageContaining("cannot nest tests deeper than 32 levels");
        String lists = "if " + "anyof(".repeat(100_000) + "true" + ")".repeat(100_000) + " { keep; }";
        assertThatThrownBy(() -> SieveScript.compile("t", lists))
                .hasMessageContaining("cannot nest tests deeper than 32 levels");
    }

    @Test
    void hugeStringsAndScriptsAreRefused() {
        String big = "\"" + "x".repeat(Lexer_MAX + 10) + "\"";
        assertThatThrownBy(() -> SieveScript.compile("t", "require " + big + ";"))
                .hasMessageContaining("is too long");
        assertThatThrownBy(() -> SieveScript.compile("t", "keep;\n".repeat(300_000)))
                .hasMessageContaining("script is too large");
    }

    private static final int Lexer_MAX = 256 * 1024;

    @Test
    @Timeout(10)
    void aPathologicalWildcardEndsWithinItsBudget() throws Exception {
        String value = "a".repeat(20_000);
        SieveResult r = run("require \"fileinto\"; if header :matches \"subject\" \"*a*a*a*a*a*a*a*a*b\" "
                + "{ fileinto \"X\"; }", "Subject: " + value + "\n\nbody\n");
        assertThat(r.actions()).isEmpty();
        assertThat(r.implicitKeep()).isTrue();
    }

    @Test
    void variablesCannotGrowWithoutBound() throws Exception {
        StringBuilder s = new StringBuilder("require [\"variables\", \"fileinto\"]; set \"a\" \"xxxxxxxxxxxxxxxx\";\n");
        for (int i = 0; i < 40; i++) {
            s.append("set \"a\" \"${a}${a}\";\n");
        }
        s.append("set :length \"n\" \"${a}\"; fileinto \"len-${n}\";");
        SieveResult r = run(s.toString(), "Subject: x\n\nb\n");
        assertThat(r.actions()).singleElement().isEqualTo(new SieveAction.Store("len-4096", List.of(), false, 42));
    }

    @Test
    void tooManyActionsFailTheScriptAndKeepTheMessage() throws Exception {
        StringBuilder s = new StringBuilder("require [\"fileinto\", \"copy\"];\n");
        for (int i = 0; i < 40; i++) {
            s.append("fileinto :copy \"f").append(i).append("\";\n");
        }
        SieveResult r = run(s.toString(), "Subject: x\n\nb\n");
        assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).contains("exceeds policy limit (40 > 32)"));
        assertThat(r.actions()).isEmpty();
        assertThat(r.implicitKeep()).isTrue();
    }

    @Test
    void includeLoopsAndDepthAreRefused() {
        IncludeResolver loop = (global, name) -> Optional.of("require \"include\"; include \""
                + (name.equals("a") ? "b" : "a") + "\";");
        assertThatThrownBy(() -> SieveScript.compile("main", "require \"include\"; include \"a\";", loop))
                .hasMessageContaining("circular include of script 'a'");
        IncludeResolver chain = (global, name) -> Optional.of("require \"include\"; include \"n"
                + (Integer.parseInt(name.substring(1)) + 1) + "\";");
        assertThatThrownBy(() -> SieveScript.compile("main", "require \"include\"; include \"n1\";", chain))
                .hasMessageContaining("cannot nest includes deeper than 10 levels");
    }

    @Test
    void aHugeHeaderIsReadOnlyUpToItsBound() throws Exception {
        String header = "X-Big: " + "y".repeat(2 * 1024 * 1024) + "\nSubject: after\n\nbody\n";
        SieveResult r = run("require \"fileinto\"; if exists \"subject\" { fileinto \"Seen\"; }", header);
        assertThat(r.actions()).isEmpty();
        assertThat(r.implicitKeep()).isTrue();
    }

    @Test
    void compileErrorsCarryTheLineAndReasonAsSievecWordsThem() throws IOException {
        assertThatThrownBy(() -> SieveScript.compile("s", "require \"fileinto\";\nkeep;\nrequire \"vacation\";"))
                .hasMessage("s: line 3: error: require commands can only be placed at top level at the beginning "
                        + "of the file.");
        assertThatThrownBy(() -> SieveScript.compile("s", "\n\nredirect;"))
                .hasMessage("s: line 3: error: the redirect command requires 1 positional argument(s), but 0 is/are "
                        + "specified.");
        assertThatThrownBy(() -> SieveScript.compile("s", "if header :is :contains \"a\" \"b\" { keep; }"))
                .hasMessage("s: line 1: error: encountered duplicate MATCH-TYPE argument (:contains) for the header "
                        + "test.");
        assertThatThrownBy(() -> SieveScript.compile("s", "/* never closed\nkeep;"))
                .hasMessage("s: line 2: error: end of file before end of bracket comment ('/* ... */') started at "
                        + "line 1.");
        assertThatThrownBy(() -> SieveScript.compile("s", "require \"vacation\";\nvacation :from \"a\r\nBcc: x@y\" "
                + "\"r\";")).hasMessageContaining("line 2: error: specified :from address");
    }
}
