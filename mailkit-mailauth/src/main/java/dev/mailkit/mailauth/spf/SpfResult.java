package dev.mailkit.mailauth.spf;

import java.util.Locale;
import java.util.Objects;

/**
 * The result of an SPF check (RFC 7208 2.6): none, neutral, pass, fail, softfail, temperror or permerror, with the
 * domain that was checked and, for a fail, the explanation the domain gives (its {@code exp=}), if any. Immutable.
 */
public final class SpfResult {
    /** The seven results of RFC 7208 2.6. */
    public enum Result {
        NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        /** The lower-case name used in Received-SPF and Authentication-Results. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Result result;
    private final String domain;
    private final String explanation;
    private final String detail;

    SpfResult(Result result, String domain, String explanation, String detail) {
        this.result = Objects.requireNonNull(result, "result");
        this.domain = domain == null ? "" : domain;
        this.explanation = explanation == null ? "" : explanation;
        this.detail = detail == null ? "" : detail;
    }

    /** The result. */
    public Result result() {
        return result;
    }

    /** The domain whose policy was checked (the MAIL FROM domain, or the HELO name). */
    public String domain() {
        return domain;
    }

    /** For a fail: the domain's explanation ({@code exp=}, expanded), or empty. Printable ASCII. */
    public String explanation() {
        return explanation;
    }

    /** What decided it, e.g. {@code mechanism ip4:192.0.2.0/24 matched} or the error. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return result.keyword() + " (" + domain + (detail.isEmpty() ? "" : ": " + detail) + ")";
    }
}
