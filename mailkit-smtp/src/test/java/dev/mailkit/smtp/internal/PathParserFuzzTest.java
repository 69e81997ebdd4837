package dev.mailkit.smtp.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the MAIL/RCPT argument parser. Properties: never an exception, always a parse or a 501
 * reply; a parsed path has no control characters in its address or parameters; and it survives a round trip: the
 * canonical form ({@code FROM:<address> KEY=value ...}) parses to the same address, null path, postmaster flag and
 * parameters. The first byte chooses MAIL or RCPT.
 */
class PathParserFuzzTest {
    @FuzzTest
    void path(byte[] input) {
        if (input.length < 1) {
            return;
        }
        String keyword = (input[0] & 1) == 0 ? "FROM" : "TO";
        String args = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        PathParser.Parsed p = PathParser.parse(args, keyword, "5.1.7");
        if (p.error != null) {
            assertThat(p.error.code()).isEqualTo(501);
            return;
        }
        StringBuilder canonical = new StringBuilder(" ").append(keyword).append(":<");
        if (p.address != null) {
            canonical.append(p.address);
        } else if (p.postmaster) {
            canonical.append("postmaster");
        } else {
            assertThat(p.nullPath).isTrue();
        }
        canonical.append('>');
        for (Map.Entry<String, String> e : p.parameters.entrySet()) {
            assertThat(e.getKey()).doesNotContain("\r", "\n", "\u0000", " ");
            assertThat(e.getValue()).doesNotContain("\r", "\n", "\u0000", " ");
            canonical.append(' ').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                canonical.append('=').append(e.getValue());
            }
        }
        PathParser.Parsed again = PathParser.parse(canonical.toString(), keyword, "5.1.7");
        assertThat(again.error).as("%s", canonical).isNull();
        assertThat(again.address).isEqualTo(p.address);
        assertThat(again.nullPath).isEqualTo(p.nullPath);
        assertThat(again.postmaster).isEqualTo(p.postmaster);
        assertThat(again.parameters).isEqualTo(p.parameters);
    }
}
