package dev.mailkit.sieve.internal.exec;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of spamtest, spamtestplus and virustest (RFC 5235) from the header fields mailkit-scan writes, read as
 * Pigeonhole reads SpamAssassin's with its {@code sieve_spamtest_*} settings: the score from the first
 * {@code X-Spam-Score}, the maximum from {@code required=} in the first {@code X-Spam-Status}; the ratio
 * score/maximum, clamped to [0, 1], gives "1".."10" ("1" + ratio * 9) or, with {@code :percent}, "0".."100".
 * No score or maximum: "0" (not tested). For viruses, the first entry of the first {@code X-Scan-Results}:
 * {@code clean} is "1", {@code virus} is "5", anything else (or no field) "0". Stateless.
 */
public final class ScanScores {
    private static final Pattern REQUIRED = Pattern.compile(
            "^[A-Za-z0-9]+, score=-?[0-9]+\\.?[0-9]* required=([0-9]+\\.?[0-9]*)");
    private static final Pattern FIRST_RESULT = Pattern.compile("^[^;]*; *[A-Za-z0-9_.-]+=([a-z]+)");

    private ScanScores() {
    }

    /** The spamtest value ({@code percent}: spamtestplus's {@code :percent}). */
    public static String spam(MailMessage m, boolean percent) {
        List<String> score = m.raw("X-Spam-Score");
        List<String> status = m.raw("X-Spam-Status");
        if (score.isEmpty() || status.isEmpty()) {
            return "0";
        }
        Matcher r = REQUIRED.matcher(status.get(0));
        if (!r.find()) {
            return "0";
        }
        float value;
        float max;
        try {
            value = decimal(score.get(0));
            max = decimal(r.group(1));
        } catch (NumberFormatException e) {
            return "0";
        }
        if (max == 0) {
            return "0";
        }
        float ratio = value < 0 ? 0 : value > max ? 1 : value / max;
        int n = percent ? (int) (ratio * 100 + 0.001f) : (int) (ratio * 9 + 1.001f);
        return Integer.toString(n);
    }

    /** The virustest value. */
    public static String virus(MailMessage m) {
        List<String> results = m.raw("X-Scan-Results");
        if (results.isEmpty()) {
            return "0";
        }
        Matcher r = FIRST_RESULT.matcher(results.get(0));
        if (!r.find()) {
            return "0";
        }
        return switch (r.group(1)) {
            case "clean" -> "1";
            case "virus" -> "5";
            default -> "0";
        };
    }

    /** A decimal as Pigeonhole's parser takes it: an optional sign, digits, an optional fraction. */
    static float decimal(String s) {
        String t = s.trim();
        if (!t.matches("[+-]?[0-9]+(\\.[0-9]*)?")) {
            throw new NumberFormatException(s);
        }
        return new BigDecimal(t.startsWith("+") ? t.substring(1) : t).floatValue();
    }
}
