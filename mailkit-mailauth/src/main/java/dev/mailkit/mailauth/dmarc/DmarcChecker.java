package dev.mailkit.mailauth.dmarc;

import dev.mailkit.core.MailAddress;
import dev.mailkit.mailauth.DnsCheckBuilder;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.internal.DnsQuestions;

import com.google.common.net.InternetDomainName;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dmarc.DmarcResult.Policy;
import dev.mailkit.mailauth.dmarc.DmarcResult.Result;
import dev.mailkit.mailauth.spf.SpfResult;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Evaluates DMARC (RFC 7489) for a message from the results of SPF and DKIM: the policy record is looked up at
 * {@code _dmarc.<From domain>}, else at {@code _dmarc.<organizational domain>} (found with the Public Suffix List, as
 * Guava's {@link InternetDomainName} has it, and the "*" rule for names it does not know); the message passes when
 * an SPF pass for the MAIL FROM domain or a DKIM pass for a signing domain is aligned with the From domain (relaxed:
 * the same organizational domain; strict, with {@code aspf=s}/{@code adkim=s}: the same domain). A failing message's
 * disposition is the record's {@code p=} (or {@code sp=} for a subdomain of the record's domain), applied to the
 * {@code pct} share of messages.
 *
 * <p>Defaults: the operating system's name servers, 5 seconds per question. Each checker has its own DNS cache.
 * Thread-safe.
 */
public final class DmarcChecker {
    private final DnsQuestions dns;
    private final Random random;

    private DmarcChecker(Builder b) {
        this.dns = DnsQuestions.of(b.dnsResolver(), b.dnsTimeout());
        this.random = b.random;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The DMARC result for a message whose From address is in {@code fromDomain}.
     *
     * @param spf  the SPF result of the MAIL FROM identity (its domain is the one checked), or null if none
     * @param dkim the results of the message's DKIM signatures
     */
    public DmarcResult check(String fromDomain, SpfResult spf, List<DkimResult> dkim) {
        String from = MailAddress.canonicalDomain(fromDomain); // RFC 8616: A-labels
        if (from.endsWith(".")) {
            from = from.substring(0, from.length() - 1);
        }
        String org = organizationalDomain(from);
        Map<String, String> record;
        boolean atOrg = false;
        try {
            record = record(from);
            if (record == null && !org.equals(from)) {
                record = record(org);
                atOrg = true;
            }
        } catch (Temporary e) {
            return new DmarcResult(Result.TEMPERROR, from, null, null, e.getMessage());
        }
        if (record == null) {
            return new DmarcResult(Result.NONE, from, null, null, "no DMARC record for " + from);
        }
        Policy p = policy(record.get("p"));
        if (p == null) {
            return new DmarcResult(Result.PERMERROR, from, null, null, "the DMARC record has no valid p= tag");
        }
        if (atOrg && record.containsKey("sp") && policy(record.get("sp")) != null) {
            p = policy(record.get("sp"));
        }
        boolean strictSpf = "s".equalsIgnoreCase(record.get("aspf"));
        boolean strictDkim = "s".equalsIgnoreCase(record.get("adkim"));
        if (spf != null && spf.result() == SpfResult.Result.PASS && aligned(spf.domain(), from, strictSpf)) {
            return new DmarcResult(Result.PASS, from, p, Policy.NONE, "aligned SPF pass (" + spf.domain() + ")");
        }
        for (DkimResult d : dkim) {
            if (d.isPass() && aligned(d.domain(), from, strictDkim)) {
                return new DmarcResult(Result.PASS, from, p, Policy.NONE, "aligned DKIM pass (" + d.domain() + ")");
            }
        }
        int pct = 100;
        try {
            if (record.containsKey("pct")) {
                pct = Math.max(0, Math.min(100, Integer.parseInt(record.get("pct"))));
            }
        } catch (NumberFormatException e) {
            pct = 100;
        }
        Policy disposition = p;
        if (pct < 100 && random.nextInt(100) >= pct) {
            // not sampled: RFC 7489 6.6.4 applies the next less strict policy
            disposition = p == Policy.REJECT ? Policy.QUARANTINE : Policy.NONE;
        }
        return new DmarcResult(Result.FAIL, from, p, disposition, "no aligned SPF or DKIM pass");
    }

    /** The organizational domain (RFC 7489 3.2): the registrable domain under a public suffix. */
    public static String organizationalDomain(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        try {
            InternetDomainName n = InternetDomainName.from(d);
            if (n.isUnderPublicSuffix()) {
                return n.topPrivateDomain().toString();
            }
            if (n.isPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // not a valid name for Guava: fall back to the "*" rule below
        }
        String[] labels = d.split("\\.");
        return labels.length <= 2 ? d : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    private static boolean aligned(String identifier, String from, boolean strict) {
        String id = MailAddress.canonicalDomain(identifier);
        if (id.endsWith(".")) {
            id = id.substring(0, id.length() - 1);
        }
        return strict ? id.equals(from) : organizationalDomain(id).equals(organizationalDomain(from));
    }

    private static Policy policy(String p) {
        if (p == null) {
            return null;
        }
        switch (p.trim().toLowerCase(Locale.ROOT)) {
            case "none":
                return Policy.NONE;
            case "quarantine":
                return Policy.QUARANTINE;
            case "reject":
                return Policy.REJECT;
            default:
                return null;
        }
    }

    /** A DNS failure: the result is temperror. */
    private static final class Temporary extends Exception {
        private static final long serialVersionUID = 1L;

        Temporary(String message) {
            super(message);
        }
    }

    /** The DMARC record at _dmarc.domain as tags, or null if there is not exactly one. */
    private Map<String, String> record(String domain) throws Temporary {
        List<String> found = new ArrayList<>();
        DnsAnswer answer;
        try {
            answer = dns.ask("_dmarc." + domain, DnsType.TXT);
        } catch (DnsException e) {
            throw new Temporary("DMARC lookup at _dmarc." + domain + " failed: " + e.getMessage());
        }
        for (DnsRecord.Txt rec : answer.records(DnsRecord.Txt.class)) {
            String txt = rec.text().trim();
            if (txt.startsWith("v=DMARC1") && (txt.length() == 8 || txt.charAt(8) == ';'
                    || Character.isWhitespace(txt.charAt(8)))) {
                found.add(txt);
            }
        }
        if (found.size() != 1) {
            return null; // none, or more than one: no policy applies (RFC 7489 6.6.3)
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : found.get(0).split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.putIfAbsent(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        return tags;
    }

    /** Builds a {@link DmarcChecker}. Not thread-safe. */
    public static final class Builder extends DnsCheckBuilder<Builder> {
        private Random random = new Random();

        private Builder() {
            super(Duration.ofSeconds(5));
        }

        /** The randomness for {@code pct} sampling (default a new {@link Random}). */
        public Builder random(Random r) {
            this.random = Objects.requireNonNull(r, "random");
            return this;
        }

        /** Builds the checker. */
        public DmarcChecker build() {
            return new DmarcChecker(this);
        }
    }
}
