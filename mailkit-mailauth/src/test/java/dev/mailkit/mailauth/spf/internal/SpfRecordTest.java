package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Splitting a record into terms. SpfFuzzTest's findings: a record with control characters (NUL, backspace) in a term
 * did not re-parse from its own text to the same terms (the split trimmed them away at the record's end), and
 * non-ASCII went through; RFC 7208 4.6.1 allows only visible ASCII separated by spaces, anything else is a syntax
 * error, so a permerror that says which character and where.
 */
class SpfRecordTest {
    @Test
    void termsAreSplitAtSpaces() throws SpfError {
        SpfRecord r = SpfRecord.parse("v=spf1  a   mx:fuzz.test/24 -all redirect=other.test exp=exp.test ", "x.test");
        assertThat(r.directives()).extracting(Object::toString).containsExactly("a", "mx:fuzz.test/24", "-all");
        assertThat(r.redirect()).isEqualTo("other.test");
        assertThat(r.exp()).isEqualTo("exp.test");
    }

    @Test
    void controlCharactersAndNonAsciiArePermErrors() {
        for (String record : new String[] {"v=spf1 exp=exp..t\0\0 ptr", "v=spf1 redirect=\0\0\0\b a",
            "v=spf1 a\t-all", "v=spf1 ip6:::\uFFFD -all", "v=spf1 a -all\r\n"}) {
            assertThatThrownBy(() -> SpfRecord.parse(record, "fuzz.test")).as(record)
                    .isInstanceOfSatisfying(SpfError.class, e -> assertThat(e.result()).isEqualTo(Result.PERMERROR))
                    .hasMessageContaining("the SPF record at fuzz.test has the character U+")
                    .hasMessageContaining("only visible ASCII and spaces are allowed");
        }
    }

    /** SpfFuzzTest's second finding: "+" alone was a directive with no mechanism, printed as nothing. */
    @Test
    void aQualifierWithoutAMechanismIsAPermError() {
        for (String record : new String[] {"v=spf1 +", "v=spf1 a - -all", "v=spf1 ~:x.test", "v=spf1 /24"}) {
            assertThatThrownBy(() -> SpfRecord.parse(record, "fuzz.test")).as(record)
                    .isInstanceOfSatisfying(SpfError.class, e -> assertThat(e.result()).isEqualTo(Result.PERMERROR))
                    .hasMessageContaining("without a mechanism name");
        }
    }

    /**
     * SpfFuzzTest's third finding: "++x" was the mechanism "+x", printed as "+x" and read back as "x". An unknown
     * mechanism is a syntax error, a permerror wherever it stands (RFC 7208 4.6), not only when evaluation reaches it.
     */
    @Test
    void anUnknownMechanismIsAPermErrorWhereverItStands() {
        for (String record : new String[] {"v=spf1 ++x", "v=spf1 -all foo", "v=spf1 a:x.test +ip5:1.2.3.4"}) {
            assertThatThrownBy(() -> SpfRecord.parse(record, "fuzz.test")).as(record)
                    .isInstanceOfSatisfying(SpfError.class, e -> assertThat(e.result()).isEqualTo(Result.PERMERROR))
                    .hasMessageContaining("unknown mechanism");
        }
    }
}
