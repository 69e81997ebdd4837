package dev.mailkit.mailauth.dkim;

/** Test access to {@link DkimResult}'s constructor, for checks that take DKIM results (DMARC). */
public final class DkimResults {
    private DkimResults() {
    }

    public static DkimResult of(DkimResult.Verdict verdict, String domain) {
        return new DkimResult(verdict, domain, "s", "b=x", "test");
    }
}
