package dev.mailkit.mailauth.spf;

/** Test access to {@link SpfResult}'s constructor, for checks that take an SPF result (DMARC). */
public final class SpfResults {
    private SpfResults() {
    }

    public static SpfResult of(SpfResult.Result result, String domain) {
        return new SpfResult(result, domain, null, "test");
    }
}
