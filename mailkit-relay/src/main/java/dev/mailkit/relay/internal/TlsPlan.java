package dev.mailkit.relay.internal;

import dev.mailkit.relay.TlsPolicyResult;

/**
 * How the relay connects to one MX host under the destination's published TLS policy ({@link TlsPlanner}): the
 * client settings for the first try, and for MTA-STS {@code testing} the settings of a second try without the policy
 * when the first fails on TLS; or a refusal, when the policy forbids the host. Immutable.
 */
final class TlsPlan {
    /** The settings of the first connection attempt; null for a refusal. */
    final ClientSettings settings;
    /** For MTA-STS testing: the settings after a TLS failure (delivery goes on, the failure is reported). */
    final ClientSettings fallback;
    /** Where the policy came from; null when none applies. */
    final TlsPolicyResult.Source source;
    final TlsPolicyResult.Mode mode;
    /** The DANE check of this connection, or null. */
    final DaneTrust dane;
    /** What the policy says before connecting (the MX pattern that matched, or why the host is refused). */
    final String note;
    /** Whether the host is refused (never connected to). */
    final boolean refused;
    /** Whether a connection made by the first settings meets the policy (false: testing, host not in the policy). */
    final boolean satisfiable;

    private TlsPlan(ClientSettings settings, ClientSettings fallback, TlsPolicyResult.Source source,
                    TlsPolicyResult.Mode mode, DaneTrust dane, String note, boolean refused, boolean satisfiable) {
        this.settings = settings;
        this.fallback = fallback;
        this.source = source;
        this.mode = mode;
        this.dane = dane;
        this.note = note;
        this.refused = refused;
        this.satisfiable = satisfiable;
    }

    static TlsPlan none(ClientSettings s) {
        return new TlsPlan(s, null, null, null, null, "", false, true);
    }

    static TlsPlan enforced(TlsPolicyResult.Source source, ClientSettings s, DaneTrust dane, String note) {
        return new TlsPlan(s, null, source, TlsPolicyResult.Mode.ENFORCE, dane, note, false, true);
    }

    static TlsPlan testing(ClientSettings strict, ClientSettings fallback, String note, boolean listed) {
        return new TlsPlan(strict, fallback, TlsPolicyResult.Source.MTA_STS, TlsPolicyResult.Mode.TESTING, null, note,
                false, listed);
    }

    static TlsPlan refused(TlsPolicyResult.Source source, String why) {
        return new TlsPlan(null, null, source, TlsPolicyResult.Mode.ENFORCE, null, why, true, false);
    }

    /** The report of a connection made under this plan; null when no policy applies. */
    TlsPolicyResult connected(boolean satisfied, String how) {
        if (source == null) {
            return null;
        }
        String what = dane != null ? dane.result() : how;
        return new TlsPolicyResult(source, mode, satisfied, note.isEmpty() ? what : note + "; " + what);
    }

    /** The report of a failure under this plan (refused, or TLS failed); null when no policy applies. */
    TlsPolicyResult failed(String why) {
        return source == null ? null : new TlsPolicyResult(source, mode, false, note.isEmpty() || refused ? why
                : note + "; " + why);
    }
}
