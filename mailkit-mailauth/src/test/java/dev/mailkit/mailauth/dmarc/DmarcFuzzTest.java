package dev.mailkit.mailauth.dmarc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.dns.StaticDnsResolver;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dkim.DkimResults;
import dev.mailkit.mailauth.spf.SpfResult;
import dev.mailkit.mailauth.spf.SpfResults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of DMARC (RFC 7489) records. The input (after a first byte that chooses the SPF and DKIM
 * results and where the record is published) is the TXT record at {@code _dmarc.fuzz.test} or at the organizational
 * domain. Properties: a result, never an exception; PASS exactly when an aligned SPF or DKIM pass was given and a
 * record with a valid policy applies; FAIL only with such a record; the disposition never stricter than the policy;
 * NONE when no record starts with {@code v=DMARC1}.
 */
class DmarcFuzzTest {
    @FuzzTest
    void record(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int choice = input[0] & 0xFF;
        String record = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        String from = (choice & 16) != 0 ? "mail.fuzz.test" : "fuzz.test";
        StaticDnsResolver dns = StaticDnsResolver.builder().txt("_dmarc.fuzz.test", record).build();
        DmarcChecker checker = DmarcChecker.builder().resolver(dns).timeout(Duration.ofSeconds(2))
                .random(new Random(choice)).build();
        SpfResult spf = switch (choice & 3) {
            case 0 -> null;
            case 1 -> SpfResults.of(SpfResult.Result.PASS, "fuzz.test");
            case 2 -> SpfResults.of(SpfResult.Result.PASS, "other.test");
            default -> SpfResults.of(SpfResult.Result.FAIL, "fuzz.test");
        };
        List<DkimResult> dkim = switch ((choice >> 2) & 3) {
            case 0 -> List.of();
            case 1 -> List.of(DkimResults.of(DkimResult.Verdict.PASS, "fuzz.test"));
            case 2 -> List.of(DkimResults.of(DkimResult.Verdict.PASS, "other.test"));
            default -> List.of(DkimResults.of(DkimResult.Verdict.FAIL, "fuzz.test"));
        };
        DmarcResult r = checker.check(from, spf, dkim);
        assertThat(r).isNotNull();
        assertThat(r.result()).isNotNull();
        boolean strictSpf = record.toLowerCase(java.util.Locale.ROOT).matches("(?s).*;\\s*aspf\\s*=\\s*s\\s*(;.*)?");
        boolean strictDkim = record.toLowerCase(java.util.Locale.ROOT).matches("(?s).*;\\s*adkim\\s*=\\s*s\\s*(;.*)?");
        boolean alignedPass = ((choice & 3) == 1 && (!strictSpf || from.equals("fuzz.test")))
                || (((choice >> 2) & 3) == 1 && (!strictDkim || from.equals("fuzz.test")));
        String txt = record.trim();
        boolean looksLikeRecord = txt.startsWith("v=DMARC1");
        if (!looksLikeRecord) {
            assertThat(r.result()).as("%s", r).isIn(DmarcResult.Result.NONE);
        }
        if (r.result() == DmarcResult.Result.PASS) {
            assertThat(alignedPass || ((choice & 3) == 1) || (((choice >> 2) & 3) == 1)).as("%s", r).isTrue();
        }
        if (r.result() == DmarcResult.Result.FAIL) {
            assertThat(looksLikeRecord).isTrue();
            assertThat(r.policy()).isNotNull();
            assertThat(r.disposition().ordinal()).isLessThanOrEqualTo(r.policy().ordinal());
            assertThat(alignedPass).as("an aligned pass failed: %s", r).isFalse();
        }
    }
}
