package dev.mailkit.dns;

import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsType;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Questions to a trusted validating resolver, answered with its AD bit (RFC 4035 3.2.3): each question carries the
 * DO bit (EDNS) and the AD bit (RFC 6840 5.7), so the resolver says whether it validated the answer. CNAMEs in the
 * answer are followed, asking again for a target the answer does not contain, up to 8 steps. Thread-safe.
 */
final class ValidatedQueries {
    private static final int MAX_CHAIN = 8;

    private final SimpleResolver resolver;

    ValidatedQueries(SimpleResolver resolver) {
        this.resolver = resolver;
        resolver.setEDNS(0, 0, ExtendedFlags.DO, List.of());
    }

    CompletableFuture<DnsAnswer> ask(Name name, DnsType type, String asked) {
        return step(name, type, asked, 0, true);
    }

    private CompletableFuture<DnsAnswer> step(Name name, DnsType type, String asked, int depth, boolean secure) {
        Message q = Message.newQuery(org.xbill.DNS.Record.newRecord(name, type.code(), DClass.IN));
        q.getHeader().setFlag(Flags.AD);
        q.getHeader().setFlag(Flags.RD);
        return resolver.sendAsync(q).toCompletableFuture().thenCompose(m -> {
            int rcode = m.getRcode();
            boolean ad = secure && m.getHeader().getFlag(Flags.AD);
            if (rcode == Rcode.NXDOMAIN) {
                DnsAnswer a = DnsAnswer.noSuchName();
                return CompletableFuture.completedFuture(ad ? a.authenticated() : a);
            }
            if (rcode != Rcode.NOERROR) {
                throw new CompletionException(new DnsException("DNS lookup of " + asked + " " + type + " failed: "
                        + Rcode.string(rcode) + (rcode == Rcode.SERVFAIL ? " (a validating resolver answers so "
                        + "when the DNSSEC signatures do not validate)" : "")));
            }
            List<DnsRecord> out = new ArrayList<>();
            Name target = name;
            for (int i = 0; i <= MAX_CHAIN; i++) {
                Name next = null;
                for (org.xbill.DNS.Record r : m.getSection(Section.ANSWER)) {
                    if (r.getName().equals(target) && r instanceof CNAMERecord c && type.code() != r.getType()) {
                        next = c.getTarget();
                    }
                }
                if (next == null) {
                    break;
                }
                target = next;
            }
            for (org.xbill.DNS.Record r : m.getSection(Section.ANSWER)) {
                if (r.getName().equals(target)) {
                    DnsRecord converted = DnsJavaResolver.convert(r, type);
                    if (converted != null) {
                        out.add(converted);
                    }
                }
            }
            if (out.isEmpty() && !target.equals(name)) {
                if (depth >= MAX_CHAIN) {
                    throw new CompletionException(new DnsException("DNS lookup of " + asked + " " + type
                            + " failed: more than " + MAX_CHAIN + " CNAMEs"));
                }
                return step(target, type, asked, depth + 1, ad);
            }
            DnsAnswer a = DnsAnswer.of(out);
            return CompletableFuture.completedFuture(ad ? a.authenticated() : a);
        }).exceptionally(t -> {
            Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (c instanceof DnsException d) {
                throw new CompletionException(d);
            }
            throw new CompletionException(new DnsException("DNS lookup of " + asked + " " + type + " failed: " + c,
                    c));
        });
    }
}
