package dev.mailkit.relay;

import java.util.Locale;
import java.util.Objects;

/**
 * What a destination's published TLS policy made of one delivery attempt, as {@link RelayEvent#tlsPolicy()} reports
 * it: which policy applied (an MTA-STS policy, RFC 8461, or DANE TLSA records, RFC 7672), in which mode, whether the
 * connection met it, and a one-line description (the MX pattern that matched, the TLSA record that matched the
 * certificate, or what failed). Immutable; thread-safe.
 */
public final class TlsPolicyResult {
    /** Where the policy came from. */
    public enum Source {
        /** An MTA-STS policy fetched over HTTPS (RFC 8461). */
        MTA_STS,
        /** DNSSEC-authenticated TLSA records of the MX host (RFC 7672). */
        DANE
    }

    /** How strictly the policy applied. */
    public enum Mode {
        /** A failure stops the delivery (MTA-STS {@code enforce}; DANE always). */
        ENFORCE,
        /** A failure is only reported (MTA-STS {@code testing}). */
        TESTING
    }

    private final Source source;
    private final Mode mode;
    private final boolean satisfied;
    private final String detail;

    /**
     * A result.
     *
     * @param satisfied whether the MX and its TLS met the policy
     * @param detail    one line: what matched or what failed
     */
    public TlsPolicyResult(Source source, Mode mode, boolean satisfied, String detail) {
        this.source = Objects.requireNonNull(source, "source");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.satisfied = satisfied;
        this.detail = Objects.requireNonNull(detail, "detail").replaceAll("[\\r\\n]+", " ");
    }

    /** Where the policy came from. */
    public Source source() {
        return source;
    }

    /** How strictly it applied. */
    public Mode mode() {
        return mode;
    }

    /** Whether the connection met the policy. */
    public boolean satisfied() {
        return satisfied;
    }

    /** One line: what matched, or what failed. */
    public String detail() {
        return detail;
    }

    /** The short form in log lines: {@code mta-sts/enforce=ok}, {@code dane/enforce=failed}. */
    public String label() {
        return source.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/" + mode.name().toLowerCase(Locale.ROOT)
                + "=" + (satisfied ? "ok" : "failed");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsPolicyResult r && r.source == source && r.mode == mode && r.satisfied == satisfied
                && r.detail.equals(detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, mode, satisfied, detail);
    }

    @Override
    public String toString() {
        return label() + " (" + detail + ")";
    }
}
