package dev.mailkit.scan.internal;

import dev.mailkit.scan.ScanResult;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The header fields the scan filter writes, in the forms mail clients and Sieve scripts know from SpamAssassin:
 * {@code X-Spam-Flag: YES}, {@code X-Spam-Score: 7.3}, {@code X-Spam-Level: *******},
 * {@code X-Spam-Status: Yes, score=7.3 required=6.0 tests=A,B scanner=rspamd}, and one
 * {@code X-Scan-Results} field in the style of Authentication-Results (RFC 8601) with every scanner's outcome:
 * {@code X-Scan-Results: mx.example.com; rspamd=spam (score=7.3 required=6); clamd=clean}. Everything in them is
 * sanitised (see {@link ScanResult}); the reasons are printable ASCII of bounded length.
 */
public final class ScanHeaders {
    /** The fields the filter owns: copies already in a message are removed (they could be forged). */
    public static final Set<String> OWNED = Set.of("x-spam-flag", "x-spam-score", "x-spam-level", "x-spam-status",
            "x-scan-results");
    private static final int MAX_TESTS = 600;

    private ScanHeaders() {
    }

    /** One scanner's outcome for {@code X-Scan-Results}. */
    public record Entry(String scanner, String result, String comment) {
    }

    /** A scanner's result. */
    public record Scored(String scanner, ScanResult result) {
    }

    /** The entry for a scanner's result. */
    public static Entry scanned(String scanner, ScanResult r) {
        String comment = null;
        if (r.virus().isPresent()) {
            comment = r.virus().get();
        } else if (r.score().isPresent()) {
            comment = "score=" + number(r.score().getAsDouble())
                    + (r.threshold().isPresent() ? " required=" + number(r.threshold().getAsDouble()) : "");
        }
        return new Entry(scanner, r.verdict().name().toLowerCase(java.util.Locale.ROOT), comment);
    }

    /**
     * The fields to add, top first: the X-Spam fields from the first result with a score (flagged if any result is
     * spam), then X-Scan-Results.
     */
    public static List<String[]> fields(String authservId, List<Entry> entries, List<Scored> scored) {
        List<String[]> out = new ArrayList<>();
        boolean spam = false;
        for (Scored s : scored) {
            spam |= s.result().verdict() == ScanResult.Verdict.SPAM || s.result().verdict() == ScanResult.Verdict.REJECT;
        }
        for (Scored s : scored) {
            ScanResult r = s.result();
            if (r.score().isEmpty()) {
                continue;
            }
            double score = r.score().getAsDouble();
            out.add(new String[] {"X-Spam-Flag", spam ? "YES" : "NO"});
            out.add(new String[] {"X-Spam-Score", number(score)});
            out.add(new String[] {"X-Spam-Level", "*".repeat((int) Math.max(0, Math.min(50, Math.floor(score))))});
            StringBuilder tests = new StringBuilder();
            for (String sym : r.symbols()) {
                if (tests.length() + sym.length() + 1 > MAX_TESTS) {
                    tests.append(tests.length() == 0 ? "" : ",").append("...");
                    break;
                }
                tests.append(tests.length() == 0 ? "" : ",").append(sym);
            }
            out.add(new String[] {"X-Spam-Status", (spam ? "Yes" : "No") + ", score=" + number(score)
                    + (r.threshold().isPresent() ? " required=" + number(r.threshold().getAsDouble()) : "")
                    + " tests=" + (tests.length() == 0 ? "none" : tests) + " scanner=" + s.scanner()});
            break;
        }
        if (out.isEmpty() && spam) {
            out.add(new String[] {"X-Spam-Flag", "YES"});
            out.add(new String[] {"X-Spam-Status", "Yes"});
        }
        if (!entries.isEmpty()) {
            StringBuilder sb = new StringBuilder(authservId);
            for (Entry e : entries) {
                sb.append("; ").append(e.scanner()).append('=').append(e.result());
                if (e.comment() != null && !e.comment().isEmpty()) {
                    sb.append(" (").append(Texts.printable(e.comment(), 120).replace('(', '[').replace(')', ']'))
                            .append(')');
                }
            }
            out.add(new String[] {"X-Scan-Results", sb.toString()});
        }
        return out;
    }

    /** A score as SpamAssassin writes it: at most two decimals, no trailing zeros. */
    public static String number(double d) {
        return BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
