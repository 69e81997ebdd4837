package dev.mailkit.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one MTA-STS parser: RFC 8461 3.1 records and 3.2 policies, the valid forms and what is refused and why. */
class MtaStsPolicyTest {
    @Test
    void aPolicyWithCrlfOrLfLinesAndItsPatterns() {
        MtaStsPolicy p = MtaStsPolicy.parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.org\r\n"
                + "mx: *.Example.NET.\r\nmax_age: 604800\r\nextension: ignored\r\n");
        assertThat(p.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(p.mx()).containsExactly("mail.example.org", "*.example.net");
        assertThat(p.maxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(p.matches("MAIL.example.org.")).isTrue();
        assertThat(p.matches("mx1.example.net")).isTrue();
        assertThat(p.matches("a.b.example.net")).as("a wildcard stands for one label").isFalse();
        assertThat(p.matches("example.net")).isFalse();
        assertThat(p.matches("evil-mail.example.org")).isFalse();
        assertThat(MtaStsPolicy.parse(p.text())).isEqualTo(p);
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: none\nmax_age: 0\n").mx()).isEmpty();
        assertThat(MtaStsPolicy.parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.test\nmax_age: 1\n")
                .mode()).as("the first occurrence counts").isEqualTo(MtaStsPolicy.Mode.TESTING);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mode: enforce\\nmx: a.test\\nmax_age: 1|the policy's version must be 'STSv1', was missing",
        "version: STSv2\\nmode: enforce\\nmx: a.test\\nmax_age: 1|the policy's version must be 'STSv1', was 'STSv2'",
        "version: STSv1\\nmode: strict\\nmx: a.test\\nmax_age: 1|mode must be enforce, testing or none, was 'strict'",
        "version: STSv1\\nmode: enforce\\nmx: a.test\\nmax_age: 31557601|max_age must be a number of seconds up to "
                + "31557600, was '31557601'",
        "version: STSv1\\nmode: enforce\\nmx: a.test\\nmax_age: -5|was '-5'",
        "version: STSv1\\nmode: enforce\\nmx: a.test\\nmax_age: 99999999999999999999|was '99999999999999999999'",
        "version: STSv1\\nmode: enforce\\nmax_age: 86400|has mode enforce but no mx: line",
        "version: STSv1\\nmode: enforce\\nmx: *.*.test\\nmax_age: 1|mx pattern must be a host name",
        "version: STSv1\\nmode: enforce\\nmx: a.test\\rmx: b.test\\nmax_age: 1|mx pattern must be a host name",
        "version: STSv1\\nmode: enforce\\nmx: a\\u0000.test\\nmax_age: 1|mx pattern must be a host name or '*.' and a domain, was 'a?.test'",
    })
    void invalidPoliciesAreRefusedWithTheReason(String text, String message) {
        String unescaped = text.replace("\\n", "\n").replace("\\r", "\r").replace("\\u0000", "\u0000");
        assertThatThrownBy(() -> MtaStsPolicy.parse(unescaped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theTxtRecordsId() {
        assertThat(MtaStsPolicy.recordId("v=STSv1; id=20260101T000000;")).hasValue("20260101T000000");
        assertThat(MtaStsPolicy.recordId("v=STSv1;id=abc")).hasValue("abc");
        for (String bad : List.of("v=STSv2; id=1", "v=spf1 -all", "v=STSv1; id=", "v=STSv1; id=a-b",
                "v=STSv1; id=" + "x".repeat(33), "v=STSv1", " id=1; v=STSv1")) {
            assertThat(MtaStsPolicy.recordId(bad)).as(bad).isEqualTo(Optional.empty());
        }
    }
}
