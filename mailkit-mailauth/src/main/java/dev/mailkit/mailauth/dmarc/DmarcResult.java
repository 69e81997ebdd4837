package dev.mailkit.mailauth.dmarc;

import java.util.Locale;
import java.util.Objects;

/**
 * The DMARC result of a message (RFC 7489): whether an aligned SPF or DKIM pass authenticates its From domain, the
 * policy its domain publishes, and what that policy asks for this message (the disposition, after {@code pct}
 * sampling). Immutable.
 */
public final class DmarcResult {
    /** The result (RFC 8601 {@code dmarc=} values). */
    public enum Result {
        PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        /** The lower-case name used in Authentication-Results. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A published policy, and what is done with a failing message. */
    public enum Policy {
        NONE, QUARANTINE, REJECT;

        /** The lower-case name used in DMARC records. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Result result;
    private final String fromDomain;
    private final Policy policy;
    private final Policy disposition;
    private final String detail;

    DmarcResult(Result result, String fromDomain, Policy policy, Policy disposition, String detail) {
        this.result = Objects.requireNonNull(result, "result");
        this.fromDomain = fromDomain == null ? "" : fromDomain;
        this.policy = policy;
        this.disposition = disposition == null ? Policy.NONE : disposition;
        this.detail = detail == null ? "" : detail;
    }

    /** The result. */
    public Result result() {
        return result;
    }

    /** The domain of the message's From address. */
    public String fromDomain() {
        return fromDomain;
    }

    /** The policy that applies ({@code p=}, or {@code sp=} for a subdomain), or null if none was found. */
    public Policy policy() {
        return policy;
    }

    /** What the policy asks for this message: NONE for a pass, else the policy unless {@code pct} spared it. */
    public Policy disposition() {
        return disposition;
    }

    /** What decided it, e.g. {@code aligned DKIM pass (example.com)} or the error. */
    public String detail() {
        return detail;
    }

    /**
     * This result as a {@code resinfo} of Authentication-Results, e.g.
     * {@code dmarc=pass (p=reject dis=none) header.from=example.com}.
     */
    public String authenticationResult() {
        StringBuilder sb = new StringBuilder("dmarc=").append(result.keyword());
        if (policy != null) {
            sb.append(" (p=").append(policy.keyword()).append(" dis=").append(disposition.keyword()).append(')');
        }
        if (!fromDomain.isEmpty()) {
            sb.append(" header.from=").append(fromDomain);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return authenticationResult() + (detail.isEmpty() ? "" : " [" + detail + "]");
    }
}
