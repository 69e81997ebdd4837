package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.internal.MxLookup;
import dev.mailkit.relay.MtaStsPolicy;
import dev.mailkit.relay.MtaStsPolicyFetcher;
import dev.mailkit.relay.RelayTls;
import dev.mailkit.relay.SmartHost;
import dev.mailkit.relay.TlsPolicyResult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a destination's mail goes and opens a connection there: the smart host, an address literal, or the
 * domain's mail exchangers in preference order (random among equal preferences, RFC 5321 5.1), the domain itself
 * when it has no MX, and nowhere for a null MX (RFC 7505) or a domain that does not exist, which bounce.
 */
final class Router {
    static final String SMART_HOST = "smarthost";
    static final String LOCAL = "local";
    private static final int MAX_HOSTS = 5;
    private static final int MAX_ADDRESSES = 10;

    /** A connection, or why there is none: a permanent failure (bounce) or a temporary one (defer). */
    static final class Route {
        final SmtpConnection connection;
        final Outcome.Kind failure;
        final String status;
        final String detail;
        final Reply reply;
        final String remoteHost;
        final InetSocketAddress remoteAddress;
        /** What the destination's TLS policy made of the failed attempt, or null. */
        TlsPolicyResult tlsPolicy;

        private Route(SmtpConnection connection, Outcome.Kind failure, String status, String detail, Reply reply,
                      String remoteHost, InetSocketAddress remoteAddress) {
            this.connection = connection;
            this.failure = failure;
            this.status = status;
            this.detail = detail;
            this.reply = reply;
            this.remoteHost = remoteHost;
            this.remoteAddress = remoteAddress;
        }

        static Route connected(SmtpConnection c) {
            return new Route(c, null, null, null, null, null, null);
        }

        static Route failed(Outcome.Kind kind, String status, String detail) {
            return new Route(null, kind, status, detail, null, null, null);
        }

        /** The outcome of this failure for each recipient of the job. */
        List<Outcome> outcomes(Job job) {
            List<Outcome> out = new ArrayList<>();
            for (MailAddress r : job.recipients()) {
                out.add(new Outcome(r, failure, reply, status, detail, remoteHost, remoteAddress, null)
                        .withTlsPolicy(tlsPolicy));
            }
            return out;
        }
    }

    private final RelayConfig cfg;
    private final Watchdog watchdog;
    private final ClientSettings mxSettings;
    private final ClientSettings smartSettings;
    private final MxResolver dns;
    private final StsPolicies stsPolicies;
    private final TlsPlanner planner;

    Router(RelayConfig cfg, Watchdog watchdog) {
        this.cfg = cfg;
        this.dns = new MxResolver(cfg.resolver);
        this.stsPolicies = cfg.mtaSts ? new StsPolicies(dns, MtaStsPolicyFetcher.builder()
                .trust(cfg.verifying).mtaStsPort(cfg.mtaStsPort).userAgent("mailkit-relay")
                .timeout(cfg.commandTimeout.compareTo(cfg.connectTimeout) < 0 ? cfg.commandTimeout : cfg.connectTimeout)
                .build(),
                new StsCache(cfg.directory == null ? null : cfg.directory.resolve("mta-sts")), cfg.clock) : null;
        this.planner = new TlsPlanner(dns, cfg.dane, cfg.verifying, cfg.opportunistic);
        this.watchdog = watchdog;
        this.mxSettings = new ClientSettings(cfg.hostName, cfg.connectTimeout, cfg.commandTimeout, cfg.dataTimeout,
                cfg.defaultTls, cfg.verifying, cfg.opportunistic, null, null, false);
        SmartHost sh = cfg.smartHost;
        this.smartSettings = sh == null ? null : new ClientSettings(cfg.hostName, cfg.connectTimeout,
                cfg.commandTimeout, cfg.dataTimeout, sh.tls(), cfg.verifying, cfg.opportunistic,
                sh.username().orElse(null), sh.password(), sh.allowInsecureAuth());
    }

    /** Opens a connection for the destination (a domain, {@code [literal]} or {@link #SMART_HOST}). */
    Route connect(String destination) {
        if (destination.equals(SMART_HOST)) {
            return smartHost();
        }
        if (destination.startsWith("[")) {
            return literal(destination);
        }
        return mx(destination);
    }

    private Route smartHost() {
        SmartHost sh = cfg.smartHost;
        List<InetAddress> addresses;
        String host = sh.host();
        if (isIpLiteral(host)) {
            try {
                addresses = List.of(InetAddress.getByName(host));
            } catch (IOException e) {
                return Route.failed(Outcome.Kind.DEFERRED, "4.4.3", "bad smart host address " + host);
            }
        } else {
            try {
                addresses = dns.addresses(host);
            } catch (IOException e) {
                return Route.failed(Outcome.Kind.DEFERRED, "4.4.3", "DNS lookup of smart host " + host
                        + " failed: " + Text.describe(e));
            }
            if (addresses.isEmpty()) {
                return Route.failed(Outcome.Kind.DEFERRED, "4.4.4", "smart host " + host + " has no address");
            }
        }
        return tryAddresses(host, addresses, sh.port(), smartSettings, new Attempts());
    }

    private Route literal(String destination) {
        String inner = destination.substring(1, destination.length() - 1);
        if (inner.regionMatches(true, 0, "IPv6:", 0, 5)) {
            inner = inner.substring(5);
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(inner);
        } catch (IOException e) {
            return Route.failed(Outcome.Kind.BOUNCED, "5.1.2", "bad address literal " + destination);
        }
        return tryAddresses(a.getHostAddress(), List.of(a), cfg.mxPort, mxSettings.withTls(cfg.defaultTls),
                new Attempts());
    }

    private Route mx(String domain) {
        MxLookup answer;
        try {
            answer = dns.mx(domain);
        } catch (IOException e) {
            return Route.failed(Outcome.Kind.DEFERRED, "4.4.3", "Host or domain name lookup failed for " + domain
                    + ": " + Text.describe(e));
        }
        switch (answer.kind()) {
            case NULL_MX:
                return Route.failed(Outcome.Kind.BOUNCED, "5.1.10", "Domain " + domain
                        + " does not accept mail (null MX)");
            case NO_SUCH_DOMAIN:
                return Route.failed(Outcome.Kind.BOUNCED, "5.1.2", "Host or domain name not found: " + domain
                        + " (no such domain)");
            default:
                break;
        }
        boolean implicit = answer.kind() == MxLookup.Kind.NO_RECORDS;
        List<String> hosts = implicit ? List.of(domain) : order(answer.hosts());
        ClientSettings settings = mxSettings.withTls(cfg.tlsFor(domain));
        Optional<MtaStsPolicy> sts = stsPolicies == null ? Optional.empty() : stsPolicies.policyFor(domain);
        Attempts attempts = new Attempts();
        boolean anyAddress = false;
        for (String host : hosts.subList(0, Math.min(hosts.size(), MAX_HOSTS))) {
            List<InetAddress> addresses;
            try {
                addresses = dns.addresses(host);
            } catch (IOException e) {
                attempts.last = Route.failed(Outcome.Kind.DEFERRED, "4.4.3", "Host or domain name lookup failed for "
                        + host + ": " + Text.describe(e));
                anyAddress = true; // unknown, not absent
                continue;
            }
            if (addresses.isEmpty()) {
                if (attempts.last == null) {
                    attempts.last = Route.failed(Outcome.Kind.DEFERRED, "4.4.4", "MX host " + host + " of " + domain
                            + " has no address");
                }
                continue;
            }
            anyAddress = true;
            TlsPlan plan = planner.plan(domain, host, cfg.mxPort, sts, answer.isAuthenticated(), settings);
            if (plan.refused) {
                attempts.last = Route.failed(Outcome.Kind.DEFERRED, "4.7.5", plan.note);
                attempts.last.tlsPolicy = plan.failed(plan.note);
                continue;
            }
            Route r = tryAddresses(host, addresses, cfg.mxPort, plan, attempts);
            if (r.connection != null || attempts.count >= MAX_ADDRESSES) {
                return r;
            }
        }
        if (implicit && !anyAddress) {
            return Route.failed(Outcome.Kind.BOUNCED, "5.1.2", "Host or domain name not found: " + domain
                    + " has no MX and no address records");
        }
        return attempts.last != null ? attempts.last : Route.failed(Outcome.Kind.DEFERRED, "4.4.4",
                "no reachable mail exchanger for " + domain);
    }

    /** The MX hosts in preference order, shuffled among equal preferences. */
    private List<String> order(List<MxLookup.Host> hosts) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < hosts.size()) {
            int j = i;
            List<String> same = new ArrayList<>();
            while (j < hosts.size() && hosts.get(j).preference() == hosts.get(i).preference()) {
                same.add(hosts.get(j).name());
                j++;
            }
            Collections.shuffle(same, cfg.random);
            out.addAll(same);
            i = j;
        }
        return out;
    }

    private static final class Attempts {
        int count;
        Route last;
    }

    private Route tryAddresses(String host, List<InetAddress> addresses, int port, ClientSettings settings,
                               Attempts attempts) {
        return tryAddresses(host, addresses, port, TlsPlan.none(settings), attempts);
    }

    private Route tryAddresses(String host, List<InetAddress> addresses, int port, TlsPlan plan, Attempts attempts) {
        for (InetAddress a : addresses) {
            if (attempts.count >= MAX_ADDRESSES) {
                break;
            }
            attempts.count++;
            InetSocketAddress sa = new InetSocketAddress(a, port);
            try {
                SmtpConnection c = SmtpConnection.open(host, sa, plan.settings, watchdog);
                c.tlsPolicy(plan.connected(plan.satisfiable, (c.tls() == null ? "no TLS" : "TLS " + c.tls())
                        + (plan.satisfiable && plan.settings.checkName ? ", certificate verified" : "")));
                return Route.connected(c);
            } catch (SessionFailure e) {
                String why = e.getMessage();
                if (plan.source != null) {
                    why = (plan.source == TlsPolicyResult.Source.DANE ? "DANE" : "MTA-STS") + " "
                            + (plan.mode == TlsPolicyResult.Mode.TESTING ? "(testing) " : "") + "failed: " + why
                            + (plan.note.isEmpty() ? "" : " [" + plan.note + "]");
                }
                attempts.last = new Route(null, Outcome.Kind.DEFERRED, e.status(), why, e.reply(), host, sa);
                attempts.last.tlsPolicy = plan.failed(e.getMessage());
                if (plan.fallback != null && e.status().startsWith("4.7.")) {
                    // MTA-STS testing: report the failure, deliver as without a policy
                    try {
                        SmtpConnection c = SmtpConnection.open(host, sa, plan.fallback, watchdog);
                        c.tlsPolicy(plan.failed(e.getMessage()));
                        return Route.connected(c);
                    } catch (SessionFailure again) {
                        attempts.last = new Route(null, Outcome.Kind.DEFERRED, again.status(), again.getMessage(),
                                again.reply(), host, sa);
                        attempts.last.tlsPolicy = plan.failed(e.getMessage());
                    }
                }
            }
        }
        return attempts.last != null ? attempts.last
                : Route.failed(Outcome.Kind.DEFERRED, "4.4.4", "no address to try for " + host);
    }

    static boolean isIpLiteral(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3 || host.indexOf(':') >= 0;
    }

    /** The destination key for a recipient. */
    String destinationOf(MailAddress rcpt) {
        if (cfg.localSink != null && cfg.localDomains.contains(rcpt.domainLowerCase())) {
            return LOCAL;
        }
        if (cfg.smartHost != null) {
            return SMART_HOST;
        }
        if (rcpt.isAddressLiteral()) {
            return rcpt.domain();
        }
        return rcpt.domainAscii().toLowerCase(java.util.Locale.ROOT);
    }

    /** The destination of a recipient as events report it: the smart host's address instead of its key. */
    String reportedDestination(MailAddress rcpt) {
        String d = destinationOf(rcpt);
        return d.equals(SMART_HOST) && cfg.smartHost != null ? cfg.smartHost.address() : d;
    }

    /** Whether the destination uses TLS {@link RelayTls#REQUIRED} (for reports). */
    boolean requiresTls(String destination) {
        if (destination.equals(SMART_HOST)) {
            return cfg.smartHost.tls() == RelayTls.REQUIRED;
        }
        return cfg.tlsFor(destination) == RelayTls.REQUIRED;
    }
}
