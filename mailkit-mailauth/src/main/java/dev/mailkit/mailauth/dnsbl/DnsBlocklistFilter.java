package dev.mailkit.mailauth.dnsbl;

import dev.mailkit.mailauth.DnsCheckBuilder;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.internal.DnsQuestions;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.Arguments;
import dev.mailkit.core.Cidr;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refuses mail from clients whose IP address is on a DNS blocklist (RFC 5782), as Postfix's
 * {@code reject_rbl_client} does: for a client at 192.0.2.99 it asks for the A records of
 * {@code 99.2.0.192.<zone>} (IPv6 addresses as 32 reversed nibbles), and a client that is listed gets
 * {@code 554 5.7.1 Service unavailable; client [192.0.2.99] blocked using <zone>} (with the list's TXT text, if any,
 * stripped to printable ASCII) at each RCPT TO, so the refusal is logged with sender and recipient.
 *
 * <p>The questions are sent when the client connects and answered by the time it gets to RCPT TO, so a listed or
 * unlisted client waits for DNS only when the DNS server is slower than the client's first commands. Sessions that
 * authenticated (submission users, who may well send from addresses on policy lists such as Spamhaus PBL) and
 * clients in {@link Builder#exempt exempt} networks are never checked. A list that does not answer within the
 * timeout, or fails, does not block anyone (fail open; logged).
 *
 * <p>What counts as listed: by default an answer in 127.0.0.0/8 other than 127.255.255.0/24 (Spamhaus answers
 * 127.255.255.x when it refuses to answer a query, for example one sent through a public resolver; blocking on it
 * would refuse every client), and never an answer outside 127.0.0.0/8 (a resolver that rewrites NXDOMAIN to a web
 * server). {@link Builder#zone(String, String...)} narrows it to given answers, as Postfix's
 * {@code zone=127.0.0.[2..11]}.
 *
 * <p>Use it as one of {@code SmtpServer.Builder.filters(...)}. Defaults: the operating system's name servers, 5
 * seconds per question, no exempt networks. Each filter has its own DNS cache (answers are cached for their TTL).
 * Thread-safe.
 */
public final class DnsBlocklistFilter implements MailFilter {
    private final List<Zone> zones;
    private final List<Cidr> exempt;
    private final Duration timeout;
    private final DnsQuestions dns;
    private final Map<String, List<CompletableFuture<Optional<Listing>>>> pending = new ConcurrentHashMap<>();

    private DnsBlocklistFilter(Builder b) {
        this.zones = List.copyOf(b.zones);
        this.exempt = List.copyOf(b.exempt);
        this.timeout = b.dnsTimeout();
        this.dns = DnsQuestions.of(b.dnsResolver(), timeout);
    }

    /** A builder; at least one {@link Builder#zone} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public FilterVerdict onConnect(SessionInfo session) {
        InetAddress client = session.clientAddress().getAddress();
        if (isExempt(client)) {
            return FilterVerdict.accept();
        }
        List<CompletableFuture<Optional<Listing>>> lookups = new ArrayList<>(zones.size());
        for (Zone z : zones) {
            lookups.add(lookup(z, client));
        }
        pending.put(session.sessionId(), lookups);
        return FilterVerdict.accept();
    }

    @Override
    public FilterVerdict onRcptTo(SessionInfo session, MailAddress recipient, Map<String, String> parameters) {
        if (session.authenticatedUser().isPresent()) {
            return FilterVerdict.accept();
        }
        List<CompletableFuture<Optional<Listing>>> lookups = pending.get(session.sessionId());
        if (lookups == null) {
            return FilterVerdict.accept(); // exempt, or the session started before this filter did
        }
        InetAddress client = session.clientAddress().getAddress();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < lookups.size(); i++) {
            Optional<Listing> listed = await(lookups.get(i), deadline, zones.get(i), client);
            if (listed.isPresent()) {
                Listing l = listed.get();
                Log.LOG.info("{}: client [{}] is listed by {} ({}): refusing RCPT TO <{}>", session.sessionId(),
                        client.getHostAddress(), l.zone, l.answer, recipient);
                return FilterVerdict.reject(554, "5.7.1", "Service unavailable; client [" + client.getHostAddress()
                        + "] blocked using " + l.zone + (l.text.isEmpty() ? "" : "; " + l.text));
            }
        }
        return FilterVerdict.accept();
    }

    @Override
    public void onDisconnect(SessionInfo session) {
        List<CompletableFuture<Optional<Listing>>> lookups = pending.remove(session.sessionId());
        if (lookups != null) {
            for (CompletableFuture<Optional<Listing>> f : lookups) {
                f.cancel(false);
            }
        }
    }

    /** The question for {@code client} in {@code zone}: its octets (IPv4) or nibbles (IPv6) reversed. */
    static String queryName(InetAddress client, String zone) {
        byte[] a = client.getAddress();
        StringBuilder sb = new StringBuilder(80);
        for (int i = a.length - 1; i >= 0; i--) {
            if (a.length == 4) {
                sb.append(a[i] & 0xff).append('.');
            } else {
                sb.append(Character.forDigit(a[i] & 0xf, 16)).append('.')
                        .append(Character.forDigit((a[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return sb.append(zone).append('.').toString();
    }

    private boolean isExempt(InetAddress client) {
        for (Cidr c : exempt) {
            if (c.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Asks {@code zone} about {@code client}; completes with the listing, or empty if not listed. */
    private CompletableFuture<Optional<Listing>> lookup(Zone zone, InetAddress client) {
        String name = queryName(client, zone.name);
        return dns.askAsync(name, DnsType.A).thenCompose(answer -> {
            for (DnsRecord.Address r : answer.records(DnsRecord.Address.class)) {
                String a = r.address().getHostAddress();
                if (zone.lists(a)) {
                    // the list's explanation, if it has one; the listing stands without it
                    return dns.askAsync(name, DnsType.TXT).handle((txt, failure) -> Optional.of(new Listing(zone.name, a,
                            failure == null ? text(txt.records(DnsRecord.Txt.class)) : "")));
                }
            }
            return CompletableFuture.completedFuture(Optional.<Listing>empty());
        });
    }

    private static Optional<Listing> await(CompletableFuture<Optional<Listing>> f, long deadline, Zone zone,
                                           InetAddress client) {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Log.LOG.warn("DNS blocklist {} did not answer about [{}] in time: not blocking", zone.name,
                    client.getHostAddress());
        } catch (ExecutionException e) {
            Log.LOG.warn("DNS blocklist {} failed for [{}]: {}: not blocking", zone.name, client.getHostAddress(),
                    e.getCause() == null ? e.toString() : e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.CancellationException e) {
            // the session ended meanwhile
        }
        return Optional.empty();
    }

    /** The first TXT record's text, reduced to printable ASCII (no CR/LF into the reply), at most 200. */
    private static String text(List<DnsRecord.Txt> txt) {
        if (txt.isEmpty()) {
            return "";
        }
        String raw = txt.get(0).text(); // raw bytes, not a resolver library's escapes
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length() && sb.length() < 200; i++) {
            char c = raw.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : ' ');
        }
        return sb.toString().trim();
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (Zone z : zones) {
            names.add(z.name);
        }
        return "DnsBlocklistFilter" + names;
    }

    /** A listing: the zone, the A answer and the (sanitised) TXT text. */
    private static final class Listing {
        final String zone;
        final String answer;
        final String text;

        Listing(String zone, String answer, String text) {
            this.zone = zone;
            this.answer = answer;
            this.text = text;
        }
    }

    /** A blocklist zone and the answers that mean "listed" (empty: the default rule). */
    private static final class Zone {
        final String name;
        final Set<String> answers;

        Zone(String name, Set<String> answers) {
            this.name = name;
            this.answers = answers;
        }

        boolean lists(String a) {
            if (!answers.isEmpty()) {
                return answers.contains(a);
            }
            return a.startsWith("127.") && !a.startsWith("127.255.255.");
        }
    }

    /** Builds a {@link DnsBlocklistFilter}. Not thread-safe. */
    public static final class Builder extends DnsCheckBuilder<Builder> {
        private final List<Zone> zones = new ArrayList<>();
        private final List<Cidr> exempt = new ArrayList<>();

        private Builder() {
            super(Duration.ofSeconds(5));
        }

        /**
         * Adds a blocklist zone (e.g. {@code zen.spamhaus.org}); a client is listed when an answer is in 127.0.0.0/8
         * and not in 127.255.255.0/24. Zones are checked in the order added.
         *
         * @throws IllegalArgumentException if the name is not a DNS name
         */
        public Builder zone(String zone) {
            return zone(zone, new String[0]);
        }

        /**
         * Adds a blocklist zone where only the given answers mean "listed" (e.g. {@code "127.0.0.2", "127.0.0.3"}).
         *
         * @throws IllegalArgumentException if the name is not a DNS name or an answer is not an IPv4 address
         */
        public Builder zone(String zone, String... listedAnswers) {
            String z = Objects.requireNonNull(zone, "zone").trim();
            while (z.endsWith(".")) {
                z = z.substring(0, z.length() - 1);
            }
            if (z.isEmpty() || !z.matches("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+")) {
                throw new IllegalArgumentException("'" + zone + "' is not a blocklist zone name; give one like "
                        + "zen.spamhaus.org");
            }
            Set<String> answers = new LinkedHashSet<>();
            for (String a : listedAnswers) {
                if (a == null || !a.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                    throw new IllegalArgumentException("listed answers are IPv4 addresses such as 127.0.0.2, not '"
                            + a + "'");
                }
                answers.add(a);
            }
            zones.add(new Zone(z.toLowerCase(java.util.Locale.ROOT), Set.copyOf(answers)));
            return this;
        }

        /**
         * Clients in these networks (CIDR, e.g. {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address) are
         * never checked. Default: none.
         *
         * @throws IllegalArgumentException if a network cannot be parsed
         */
        public Builder exempt(String... networks) {
            for (String n : networks) {
                exempt.add(Cidr.parse(n));
            }
            return this;
        }

        /**
         * Builds the filter.
         *
         * @throws IllegalStateException if no zone was added
         */
        public DnsBlocklistFilter build() {
            if (zones.isEmpty()) {
                throw new IllegalStateException("add at least one zone(...), e.g. zone(\"zen.spamhaus.org\")");
            }
            return new DnsBlocklistFilter(this);
        }
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DnsBlocklistFilter.class);
    }
}
