package dev.mailkit.relay.internal;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.relay.MtaStsPolicy;
import dev.mailkit.relay.MtaStsPolicyFetcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MTA-STS policies of destination domains (RFC 8461 5.1): the {@code _mta-sts} TXT record's id is asked before
 * each delivery; a cached, unexpired policy with the same id is used as it is, otherwise the policy is fetched again
 * ({@link MtaStsPolicyFetcher}). A fetch that fails keeps the cached policy until its {@code max_age} ends; a domain with
 * neither a record nor a cached policy has none. Policies are kept in memory and in {@link StsCache} files, so a
 * restarted relay still enforces what it learnt (a downgrade attacker who strips the TXT record gains nothing).
 * Thread-safe.
 */
final class StsPolicies {
    private static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.relay");

    /** A policy with the id and time it was fetched under. */
    static final class Cached {
        final MtaStsPolicy policy;
        final String id;
        final Instant fetched;

        Cached(MtaStsPolicy policy, String id, Instant fetched) {
            this.policy = policy;
            this.id = id;
            this.fetched = fetched;
        }

        boolean validAt(Instant now) {
            return now.isBefore(fetched.plus(policy.maxAge()));
        }
    }

    private final MxResolver dns;
    private final MtaStsPolicyFetcher fetch;
    private final StsCache files;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> memory = new ConcurrentHashMap<>();

    StsPolicies(MxResolver dns, MtaStsPolicyFetcher fetch, StsCache files, Clock clock) {
        this.dns = dns;
        this.fetch = fetch;
        this.files = files;
        this.clock = clock;
    }

    /** The policy that applies to a domain now, if any (mode {@code none} counts as none). */
    Optional<MtaStsPolicy> policyFor(String domain) {
        Instant now = clock.instant();
        Cached cached = memory.computeIfAbsent(domain, d -> files.read(d).orElse(null));
        if (cached != null && !cached.validAt(now)) {
            cached = null;
        }
        Optional<String> id = recordId(domain);
        if (id.isPresent() && (cached == null || !cached.id.equals(id.get()))) {
            Cached fresh = fetchNow(domain, id.get(), now);
            if (fresh != null) {
                cached = fresh;
            }
        }
        if (cached == null || cached.policy.mode() == MtaStsPolicy.Mode.NONE) {
            return Optional.empty();
        }
        return Optional.of(cached.policy);
    }

    private Optional<String> recordId(String domain) {
        try {
            DnsAnswer a = dns.lookup("_mta-sts." + domain, DnsType.TXT);
            List<String> ids = a.records(DnsRecord.Txt.class).stream().map(t -> MtaStsPolicy.recordId(t.text()))
                    .flatMap(Optional::stream).toList();
            // RFC 8461 3.1: more than one STSv1 record means none
            return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
        } catch (IOException e) {
            LOG.debug("MTA-STS: no answer for _mta-sts.{}: {}", domain, e.toString());
            return Optional.empty();
        }
    }

    private Cached fetchNow(String domain, String id, Instant now) {
        String url = fetch.url(domain);
        try {
            List<InetAddress> where = dns.addresses("mta-sts." + domain);
            if (where.isEmpty()) {
                throw new IOException("mta-sts." + domain + " has no address");
            }
            MtaStsPolicy policy = MtaStsPolicy.parse(fetch.fetch(domain, where.get(0)));
            Cached c = new Cached(policy, id, now);
            memory.put(domain, c);
            files.write(domain, c);
            LOG.info("MTA-STS policy of {} (id {}): {}", domain, id, policy);
            return c;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("MTA-STS: cannot use the policy at {}: {}", url, Text.describe(e));
            return null;
        }
    }
}
