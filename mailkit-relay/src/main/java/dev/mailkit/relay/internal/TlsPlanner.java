package dev.mailkit.relay.internal;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.relay.MtaStsPolicy;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.TlsPolicyResult;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Decides how to connect to an MX host under the destination's published policies. DANE comes first (RFC 8461 2):
 * when the MX answer was DNSSEC-authenticated and {@code _PORT._tcp.HOST} has authenticated TLSA records, TLS is
 * mandatory and the certificate must match a usable record ({@link DaneTrust}); authenticated records of which none is
 * usable still make TLS mandatory, without authentication (RFC 7672 2.2); a TLSA lookup that fails makes the host
 * unusable for now. Otherwise an MTA-STS policy in {@code enforce} mode allows only MX hosts its patterns match,
 * over TLS with a trusted certificate that names the host; in {@code testing} mode the same is tried and a failure is
 * reported, not enforced. Thread-safe.
 */
final class TlsPlanner {
    private final MxResolver dns;
    private final boolean dane;
    private final SSLContext verifying;
    private final SSLContext encryptOnly;

    TlsPlanner(MxResolver dns, boolean dane, SSLContext verifying, SSLContext encryptOnly) {
        this.dns = dns;
        this.dane = dane;
        this.verifying = verifying;
        this.encryptOnly = encryptOnly;
    }

    TlsPlan plan(String domain, String host, int port, Optional<MtaStsPolicy> sts, boolean mxAuthenticated,
                 ClientSettings base) {
        if (dane && mxAuthenticated) {
            String name = "_" + port + "._tcp." + host;
            DnsAnswer answer;
            try {
                answer = dns.lookup(name, DnsType.TLSA);
            } catch (IOException e) {
                return TlsPlan.refused(TlsPolicyResult.Source.DANE, "DANE: the TLSA lookup of " + name
                        + " failed, so MX host " + host + " cannot be used now: " + Text.describe(e));
            }
            List<DnsRecord.Tlsa> records = answer.records(DnsRecord.Tlsa.class);
            if (answer.isAuthenticated() && !records.isEmpty()) {
                List<DnsRecord.Tlsa> usable = records.stream().filter(DaneTrust::usable).toList();
                if (usable.isEmpty()) {
                    return TlsPlan.enforced(TlsPolicyResult.Source.DANE, base.withTls(RelayTls.REQUIRED, encryptOnly,
                            encryptOnly, false), null, "DANE: " + name + " has no usable TLSA record (only DANE-TA "
                            + "and DANE-EE are): TLS required, certificate not checked");
                }
                DaneTrust trust = new DaneTrust(usable, host, name);
                SSLContext ctx = trust.context();
                return TlsPlan.enforced(TlsPolicyResult.Source.DANE, base.withTls(RelayTls.REQUIRED, ctx, ctx, false),
                        trust, "");
            }
        }
        if (sts.isEmpty()) {
            return TlsPlan.none(base);
        }
        MtaStsPolicy p = sts.get();
        String mode = p.mode().name().toLowerCase(Locale.ROOT);
        boolean listed = p.matches(host);
        String note = "MTA-STS policy of " + domain + " (" + mode + "): MX host " + host
                + (listed ? " matches " + p.mx() : " is not in " + p.mx());
        ClientSettings strict = base.withTls(RelayTls.REQUIRED, verifying, base.opportunistic, true);
        if (p.mode() == MtaStsPolicy.Mode.ENFORCE) {
            return listed ? TlsPlan.enforced(TlsPolicyResult.Source.MTA_STS, strict, null, note)
                    : TlsPlan.refused(TlsPolicyResult.Source.MTA_STS, note);
        }
        return TlsPlan.testing(listed ? strict : base, listed ? base : null, note, listed);
    }
}
