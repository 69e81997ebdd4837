package dev.mailkit.examples.diagnose;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.mailauth.spf.SpfResult;

import javax.net.ssl.X509TrustManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the outside world sees of a mail domain, checked through DNS, with what to fix: MX and the addresses of each
 * MX host, each MX host's STARTTLS certificate (trusted, for its name, not expiring) and an open-relay self-test,
 * reverse DNS of the server's address and that it resolves forward again, SPF (one record, valid, and authorising the
 * server's address, with mailkit's SPF evaluator), DKIM against the configured key, DMARC, MTA-STS (the record, and
 * the policy fetched over HTTPS and checked against the MX hosts) and TLS-RPT, and DNS blocklists. Each check gives
 * a {@link Finding}; a {@code FAIL} is something to fix. One diagnosis is run once, by one thread.
 */
public final class Diagnosis {
    /** How bad a finding is. */
    public enum Status {
        /** As it should be. */
        OK,
        /** Works, but should be improved. */
        WARN,
        /** Must be fixed: mail will be lost, refused or marked as spam. */
        FAIL
    }

    /** One finding: the check's name, its status, what was seen, and the fix (empty when there is none to give). */
    public record Finding(String check, Status status, String message, String fix) {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final String domain;
    private final DnsResolver dns;
    private final InetAddress address;
    private final String dkimSelector;
    private final String dkimRecord;
    private final List<String> blocklists;
    private final MxProbe probe;
    private final StsPolicyCheck sts;
    private final List<String> mxHosts = new ArrayList<>();
    private final List<Map.Entry<String, InetAddress>> mxAddresses = new ArrayList<>();

    /**
     * A diagnosis of {@code domain} through {@code dns}.
     *
     * @param address      the server's public address (null: the address of the first MX host)
     * @param dkimSelector the configured DKIM selector, or null when mailkit signs nothing
     * @param dkimRecord   the TXT record the configured key needs ({@code v=DKIM1; k=...; p=...}), or null
     * @param blocklists   DNS blocklist zones to look the address up in
     * @param trust        what a sender trusts, to judge each MX host's STARTTLS certificate and the MTA-STS web
     *                     server's; null: no connections (no certificate check, open-relay test or policy fetch)
     * @param smtpPort     the port to reach the MX hosts at (25 but in tests)
     * @param httpsPort    the port to fetch the MTA-STS policy from (443 but in tests)
     */
    public Diagnosis(String domain, DnsResolver dns, InetAddress address, String dkimSelector, String dkimRecord,
                     List<String> blocklists, X509TrustManager trust, int smtpPort, int httpsPort) {
        this.domain = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        this.dns = dns;
        this.address = address;
        this.dkimSelector = dkimSelector;
        this.dkimRecord = dkimRecord;
        this.blocklists = List.copyOf(blocklists);
        this.probe = trust == null ? null : new MxProbe(trust, smtpPort, Clock.systemUTC());
        this.sts = trust == null ? null : new StsPolicyCheck(trust, httpsPort, this::addresses);
    }

    /** Runs every check, in the order a person would fix them; once. */
    public List<Finding> run() {
        List<Finding> out = new ArrayList<>();
        InetAddress server = mx(out);
        if (probe != null) {
            for (Map.Entry<String, InetAddress> e : mxAddresses) {
                out.addAll(probe.probe(e.getKey(), e.getValue()));
            }
        }
        if (server == null) {
            out.add(new Finding("address", Status.FAIL, "no server address to check reverse DNS, SPF and blocklists "
                    + "for", "give --address IP, or fix the MX records above"));
        } else {
            reverse(server, out);
            spf(server, out);
            for (String zone : blocklists) {
                blocklist(server, zone, out);
            }
        }
        dkim(out);
        dmarc(out);
        simple(out, "mta-sts", "_mta-sts." + domain, "v=STSv1", "v=STSv1; id=" + "20260101T000000",
                "serve a policy at https://mta-sts." + domain + "/.well-known/mta-sts.txt, then");
        if (sts != null && out.get(out.size() - 1).status() == Status.OK) {
            out.add(sts.check(domain, mxHosts)); // the record announces a policy: fetch it as a sender would
        }
        simple(out, "tls-rpt", "_smtp._tls." + domain, "v=TLSRPTv1", "v=TLSRPTv1; rua=mailto:postmaster@" + domain,
                "to receive reports of TLS failures,");
        return out;
    }

    private List<DnsRecord> lookup(String name, DnsType type) {
        try {
            DnsAnswer a = dns.lookup(name, type, WAIT);
            return a.records().stream().filter(r -> r.type() == type).toList();
        } catch (DnsException e) {
            return List.of();
        }
    }

    private List<String> txt(String name) {
        return lookup(name, DnsType.TXT).stream().map(r -> ((DnsRecord.Txt) r).text()).toList();
    }

    private List<InetAddress> addresses(String host) {
        List<InetAddress> out = new ArrayList<>();
        for (DnsType t : new DnsType[] {DnsType.A, DnsType.AAAA}) {
            lookup(host, t).forEach(r -> out.add(((DnsRecord.Address) r).address()));
        }
        return out;
    }

    private InetAddress mx(List<Finding> out) {
        List<DnsRecord.Mx> mx = lookup(domain, DnsType.MX).stream().map(r -> (DnsRecord.Mx) r)
                .sorted((a, b) -> Integer.compare(a.preference(), b.preference())).toList();
        String example = "mail." + domain;
        if (mx.isEmpty()) {
            out.add(new Finding("mx", Status.FAIL, "no MX record for " + domain + ": senders fall back to its "
                    + "address, if any", domain + ". IN MX 10 " + example + "."));
        } else if (mx.stream().anyMatch(DnsRecord.Mx::isNullMx)) {
            out.add(new Finding("mx", Status.FAIL, domain + " has a null MX (MX 0 .): it says it receives no mail",
                    "replace it with " + domain + ". IN MX 10 " + example + "."));
            return address;
        }
        InetAddress first = null;
        boolean allResolve = true;
        for (DnsRecord.Mx m : mx) {
            mxHosts.add(m.host());
            List<InetAddress> a = addresses(m.host());
            if (a.isEmpty()) {
                allResolve = false;
                out.add(new Finding("mx", Status.FAIL, "MX host " + m.host() + " has no A or AAAA record: mail "
                        + "cannot reach it", m.host() + ". IN A " + (address == null ? "<the server's address>"
                        : address.getHostAddress())));
            } else {
                mxAddresses.add(Map.entry(m.host(), a.get(0)));
                if (first == null) {
                    first = a.get(0);
                }
            }
        }
        if (!mx.isEmpty() && allResolve) {
            out.add(new Finding("mx", Status.OK, domain + " MX " + mx.stream().map(m -> m.preference() + " "
                    + m.host()).toList() + ", each with an address", ""));
        }
        return address != null ? address : first;
    }

    static String reverseName(InetAddress a) {
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder();
        if (a instanceof Inet4Address) {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(b[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = b.length - 1; i >= 0; i--) {
            sb.append(Integer.toHexString(b[i] & 0xf)).append('.').append(Integer.toHexString((b[i] >> 4) & 0xf))
                    .append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    private void reverse(InetAddress server, List<Finding> out) {
        String ip = server.getHostAddress();
        List<String> names = lookup(reverseName(server), DnsType.PTR).stream().map(r -> ((DnsRecord.Ptr) r).host())
                .toList();
        if (names.isEmpty()) {
            out.add(new Finding("reverse-dns", Status.FAIL, "no reverse DNS (PTR) for " + ip + ": many receivers "
                    + "refuse such senders", "ask the owner of " + ip + " (your provider) for: " + reverseName(server)
                    + ". IN PTR mail." + domain + "."));
            return;
        }
        String name = names.get(0);
        if (!addresses(name).contains(server)) {
            out.add(new Finding("reverse-dns", Status.FAIL, "the PTR of " + ip + " is " + name + ", but " + name
                    + " does not resolve back to " + ip, name + ". IN " + (server instanceof Inet4Address ? "A "
                    : "AAAA ") + ip));
            return;
        }
        out.add(new Finding("reverse-dns", Status.OK, ip + " is " + name + " and " + name + " is " + ip, ""));
    }

    private void spf(InetAddress server, List<Finding> out) {
        String ip = server.getHostAddress();
        String suggested = domain + ". IN TXT \"v=spf1 mx " + (server instanceof Inet4Address ? "ip4:" : "ip6:") + ip
                + " -all\"";
        List<String> spf = txt(domain).stream().filter(t -> t.toLowerCase(Locale.ROOT).matches("v=spf1( .*)?"))
                .toList();
        if (spf.isEmpty()) {
            out.add(new Finding("spf", Status.FAIL, "no SPF record for " + domain + ": receivers cannot tell your "
                    + "mail from forgeries", suggested));
            return;
        }
        if (spf.size() > 1) {
            out.add(new Finding("spf", Status.FAIL, spf.size() + " SPF records for " + domain + " (RFC 7208 allows "
                    + "one; receivers treat this as an error): " + spf, "keep one: " + suggested));
            return;
        }
        SpfResult r = SpfChecker.builder().resolver(dns).build().checkHost(server, domain, "postmaster@" + domain,
                domain);
        switch (r.result()) {
            case PASS:
                out.add(new Finding("spf", Status.OK, "\"" + spf.get(0) + "\" authorises " + ip, ""));
                break;
            case PERMERROR:
                out.add(new Finding("spf", Status.FAIL, "the SPF record \"" + spf.get(0) + "\" is broken: "
                        + r.detail(), suggested));
                break;
            case TEMPERROR:
                out.add(new Finding("spf", Status.WARN, "SPF could not be evaluated now: " + r.detail(), ""));
                break;
            default:
                out.add(new Finding("spf", Status.FAIL, "the SPF record \"" + spf.get(0) + "\" does not authorise "
                        + ip + " (" + r.result().keyword() + ")", suggested));
                break;
        }
    }

    private void blocklist(InetAddress server, String zone, List<Finding> out) {
        String name = reverseName(server).replaceAll("\\.(in-addr|ip6)\\.arpa$", "") + "." + zone;
        List<DnsRecord> listed = lookup(name, DnsType.A);
        if (listed.isEmpty()) {
            out.add(new Finding("blocklist", Status.OK, server.getHostAddress() + " is not listed on " + zone, ""));
        } else {
            List<String> why = txt(name);
            out.add(new Finding("blocklist", Status.FAIL, server.getHostAddress() + " is listed on " + zone + " ("
                    + ((DnsRecord.Address) listed.get(0)).address().getHostAddress()
                    + (why.isEmpty() ? "" : ": " + why.get(0)) + ")", "find out why at the list's site and ask "
                    + zone + " to delist " + server.getHostAddress()));
        }
    }

    static Map<String, String> tags(String record) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : record.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).replaceAll(
                        "\\s+", ""));
            }
        }
        return out;
    }

    private void dkim(List<Finding> out) {
        if (dkimSelector == null) {
            out.add(new Finding("dkim", Status.WARN, "mailkit is not configured to DKIM-sign mail from " + domain,
                    "mailkit dkim keygen --domain " + domain + " --selector mk1 -o dkim.pem, then dkim: in the "
                            + "configuration and the TXT record it prints"));
            return;
        }
        String name = dkimSelector + "._domainkey." + domain;
        String fix = name + ". IN TXT \"" + dkimRecord + "\"";
        List<String> records = txt(name);
        if (records.isEmpty()) {
            out.add(new Finding("dkim", Status.FAIL, "no DKIM record at " + name + ": receivers cannot verify "
                    + "mailkit's signatures", fix));
            return;
        }
        String published = tags(records.get(0)).getOrDefault("p", "");
        if (!published.equals(tags(dkimRecord).get("p"))) {
            out.add(new Finding("dkim", Status.FAIL, "the DKIM record at " + name + " is not the configured key's "
                    + (published.isEmpty() ? "(no p= tag)" : "(another public key)") + ": signatures will fail",
                    fix));
            return;
        }
        out.add(new Finding("dkim", Status.OK, name + " publishes the configured key", ""));
    }

    private void dmarc(List<Finding> out) {
        String name = "_dmarc." + domain;
        String fix = name + ". IN TXT \"v=DMARC1; p=quarantine; rua=mailto:postmaster@" + domain + "\"";
        List<String> records = txt(name).stream().filter(t -> t.startsWith("v=DMARC1")).toList();
        if (records.isEmpty()) {
            out.add(new Finding("dmarc", Status.FAIL, "no DMARC record at " + name + ": big receivers mark or refuse "
                    + "mail from domains without one", fix));
            return;
        }
        String p = tags(records.get(0)).get("p");
        if (p == null || !p.matches("none|quarantine|reject")) {
            out.add(new Finding("dmarc", Status.FAIL, "the DMARC record \"" + records.get(0) + "\" has no valid p= "
                    + "tag (none, quarantine or reject)", fix));
        } else if (p.equals("none")) {
            out.add(new Finding("dmarc", Status.WARN, "DMARC p=none asks receivers to do nothing with forgeries",
                    "once reports show your mail passing: " + fix));
        } else {
            out.add(new Finding("dmarc", Status.OK, "\"" + records.get(0) + "\"", ""));
        }
    }

    private void simple(List<Finding> out, String check, String name, String version, String example, String why) {
        List<String> records = txt(name);
        Optional<String> valid = records.stream().filter(t -> t.startsWith(version)).findFirst();
        if (valid.isPresent()) {
            out.add(new Finding(check, Status.OK, name + " \"" + valid.get() + "\"", ""));
        } else if (!records.isEmpty()) {
            out.add(new Finding(check, Status.FAIL, "the record at " + name + " does not start with " + version
                    + ": " + records, name + ". IN TXT \"" + example + "\""));
        } else {
            out.add(new Finding(check, Status.WARN, "no " + check.toUpperCase(Locale.ROOT) + " record at " + name,
                    why + " publish " + name + ". IN TXT \"" + example + "\""));
        }
    }
}
