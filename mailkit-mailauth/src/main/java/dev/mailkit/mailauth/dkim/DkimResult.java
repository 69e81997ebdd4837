package dev.mailkit.mailauth.dkim;

import java.util.Locale;
import java.util.Objects;

/**
 * The result of checking one DKIM signature (RFC 6376 6), in the words of RFC 8601's {@code dkim} method: pass, fail
 * (the signature or body hash does not match, or it expired), neutral (the signature cannot be checked, e.g. an
 * algorithm that is not accepted), temperror (the key could not be fetched now) or permerror (the signature or key
 * record is malformed, or the key is missing or revoked). Immutable.
 */
public final class DkimResult {
    /** What the check found. */
    public enum Verdict {
        PASS, FAIL, NEUTRAL, TEMPERROR, PERMERROR;

        /** The lower-case name used in Authentication-Results. */
        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Verdict verdict;
    private final String domain;
    private final String selector;
    private final String signaturePrefix;
    private final String reason;

    DkimResult(Verdict verdict, String domain, String selector, String signaturePrefix, String reason) {
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.domain = domain == null ? "" : domain;
        this.selector = selector == null ? "" : selector;
        this.signaturePrefix = signaturePrefix == null ? "" : signaturePrefix;
        this.reason = reason == null ? "" : reason;
    }

    /** The verdict. */
    public Verdict verdict() {
        return verdict;
    }

    /** Whether the signature verified. */
    public boolean isPass() {
        return verdict == Verdict.PASS;
    }

    /** The signing domain ({@code d=}), empty if the signature had none. */
    public String domain() {
        return domain;
    }

    /** The selector ({@code s=}), empty if the signature had none. */
    public String selector() {
        return selector;
    }

    /** The first 8 characters of the signature ({@code b=}), to tell signatures apart (RFC 6008). */
    public String signaturePrefix() {
        return signaturePrefix;
    }

    /** Why it did not pass (empty for a pass). */
    public String reason() {
        return reason;
    }

    /**
     * This result as a {@code resinfo} of an Authentication-Results field (RFC 8601), e.g.
     * {@code dkim=pass header.d=example.com header.s=sel header.b=AbCdEfGh}; printable ASCII only.
     */
    public String authenticationResult() {
        StringBuilder sb = new StringBuilder("dkim=").append(verdict.keyword());
        if (!reason.isEmpty()) {
            sb.append(" (").append(printable(reason).replace('(', '[').replace(')', ']')).append(')');
        }
        if (!domain.isEmpty()) {
            sb.append(" header.d=").append(printable(domain));
        }
        if (!selector.isEmpty()) {
            sb.append(" header.s=").append(printable(selector));
        }
        if (!signaturePrefix.isEmpty()) {
            sb.append(" header.b=").append(printable(signaturePrefix));
        }
        return sb.toString();
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 200; i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 && c != ';' ? c : c == ' ' ? ' ' : '?');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return authenticationResult();
    }
}
