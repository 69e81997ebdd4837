package dev.mailkit.mailauth.dkim;

import dev.mailkit.mailauth.DnsCheckBuilder;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsException;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.internal.DnsQuestions;

import dev.mailkit.core.MessageSource;
import dev.mailkit.mailauth.dkim.internal.CrlfLineEnds;
import dev.mailkit.mailauth.dkim.internal.DkimCanonical;
import dev.mailkit.core.mime.HeaderSection;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies the DKIM signatures of a message (RFC 6376): rsa-sha256 and ed25519-sha256 (RFC 8463), relaxed and
 * simple canonicalisation of header and body, {@code l=}, {@code x=} expiry, {@code i=} within {@code d=}, and key
 * records fetched from DNS ({@code SELECTOR._domainkey.DOMAIN} TXT) through dnsjava. rsa-sha1 is not accepted
 * (RFC 8301): such a signature is {@code neutral}. At most 5 signatures of a message are checked.
 *
 * <p>The message is read once, as a stream: its header section (at most 1 MiB) and then the body, hashed for every
 * signature at once. Line ends are taken as they were received (CRLF).
 *
 * <p>Defaults: the operating system's name servers, 5 seconds per key lookup, the system clock. Each verifier has its
 * own DNS cache. Thread-safe.
 */
public final class DkimVerifier {
    private static final int MAX_SIGNATURES = 5;
    private static final int MAX_HEADER = 1024 * 1024;

    private final DnsQuestions dns;
    private final Clock clock;

    private DkimVerifier(Builder b) {
        this.dns = DnsQuestions.of(b.dnsResolver(), b.dnsTimeout());
        this.clock = b.clock;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** Verifies the signatures of a message; an empty list if it has none. */
    public List<DkimResult> verify(MessageSource message) throws IOException {
        try (InputStream in = message.openStream()) {
            return verify(in);
        }
    }

    /**
     * Verifies the signatures of the message read from the stream (header and body; a bare CR or LF counts as a line
     * end, as for {@link DkimSigner}).
     *
     * @throws IOException if the stream fails or the header section is larger than 1 MiB
     */
    public List<DkimResult> verify(InputStream raw) throws IOException {
        InputStream message = new CrlfLineEnds(raw);
        HeaderSection header = HeaderSection.read(message, MAX_HEADER);
        List<String> fields = header.fields();
        List<Check> checks = new ArrayList<>();
        for (String f : fields) {
            if (HeaderSection.name(f).equalsIgnoreCase("DKIM-Signature") && checks.size() < MAX_SIGNATURES) {
                checks.add(new Check(f));
            }
        }
        if (checks.isEmpty()) {
            return List.of();
        }
        byte[] buf = new byte[16384];
        int n;
        while ((n = message.read(buf)) > 0) {
            for (Check c : checks) {
                if (c.body != null) {
                    c.body.update(buf, 0, n);
                }
            }
        }
        List<DkimResult> out = new ArrayList<>(checks.size());
        for (Check c : checks) {
            out.add(c.result != null ? c.result : finish(c, fields));
        }
        return out;
    }

    /** One signature: its tags, and the body hasher its canonicalisation asks for. */
    private final class Check {
        final String field;
        final Map<String, String> tags;
        DkimCanonical.Body body;
        DkimResult result; // decided before the body is read (malformed signature)

        Check(String field) {
            this.field = field;
            Map<String, String> t;
            try {
                t = tagList(HeaderSection.value(field));
            } catch (IllegalArgumentException e) {
                this.tags = Map.of();
                this.result = new DkimResult(DkimResult.Verdict.PERMERROR, null, null, null,
                        "malformed signature: " + e.getMessage());
                return;
            }
            this.tags = t;
            this.result = checkTags();
            if (result == null) {
                try {
                    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                    long limit = tags.containsKey("l") ? Long.parseLong(tags.get("l")) : -1;
                    body = bodyCanonicalisation().equals("relaxed") ? new DkimCanonical.RelaxedBody(sha256, limit)
                            : new DkimCanonical.SimpleBody(sha256, limit);
                } catch (GeneralSecurityException | NumberFormatException e) {
                    result = error(DkimResult.Verdict.PERMERROR, "bad l= tag");
                }
            }
        }

        String d() {
            return tags.getOrDefault("d", "");
        }

        String s() {
            return tags.getOrDefault("s", "");
        }

        String b() {
            return tags.getOrDefault("b", "").replaceAll("[ \t\r\n]", "");
        }

        DkimResult error(DkimResult.Verdict v, String reason) {
            String b = b();
            return new DkimResult(v, d(), s(), b.substring(0, Math.min(8, b.length())), reason);
        }

        String headerCanonicalisation() {
            String c = tags.getOrDefault("c", "simple/simple");
            return c.contains("/") ? c.substring(0, c.indexOf('/')) : c;
        }

        String bodyCanonicalisation() {
            String c = tags.getOrDefault("c", "simple/simple");
            return c.contains("/") ? c.substring(c.indexOf('/') + 1) : "simple";
        }

        /** The checks that need no key and no body (RFC 6376 6.1.1); null if the signature may be verified. */
        DkimResult checkTags() {
            for (String required : new String[] {"v", "a", "b", "bh", "d", "h", "s"}) {
                if (!tags.containsKey(required)) {
                    return error(DkimResult.Verdict.PERMERROR, "signature without " + required + "= tag");
                }
            }
            if (!tags.get("v").equals("1")) {
                return error(DkimResult.Verdict.PERMERROR, "unknown signature version v=" + tags.get("v"));
            }
            String a = tags.get("a").toLowerCase(Locale.ROOT);
            if (a.equals("rsa-sha1")) {
                return error(DkimResult.Verdict.NEUTRAL, "rsa-sha1 is not accepted (RFC 8301)");
            }
            if (!a.equals("rsa-sha256") && !a.equals("ed25519-sha256")) {
                return error(DkimResult.Verdict.NEUTRAL, "unknown algorithm " + a);
            }
            String hc = headerCanonicalisation();
            String bc = bodyCanonicalisation();
            if (!(hc.equals("simple") || hc.equals("relaxed")) || !(bc.equals("simple") || bc.equals("relaxed"))) {
                return error(DkimResult.Verdict.PERMERROR, "unknown canonicalisation c=" + tags.get("c"));
            }
            boolean signsFrom = false;
            for (String h : tags.get("h").split(":")) {
                signsFrom |= h.trim().equalsIgnoreCase("from");
            }
            if (!signsFrom) {
                return error(DkimResult.Verdict.PERMERROR, "the signature does not cover From");
            }
            String d = d().toLowerCase(Locale.ROOT);
            if (tags.containsKey("i")) {
                String i = tags.get("i").toLowerCase(Locale.ROOT);
                String iDomain = i.substring(i.indexOf('@') + 1);
                if (!(iDomain.equals(d) || iDomain.endsWith("." + d))) {
                    return error(DkimResult.Verdict.PERMERROR, "i= is not within d=" + d);
                }
            }
            if (tags.containsKey("x")) {
                try {
                    if (clock.instant().getEpochSecond() > Long.parseLong(tags.get("x"))) {
                        return error(DkimResult.Verdict.FAIL, "signature expired");
                    }
                } catch (NumberFormatException e) {
                    return error(DkimResult.Verdict.PERMERROR, "bad x= tag");
                }
            }
            if (!tags.getOrDefault("q", "dns/txt").toLowerCase(Locale.ROOT).startsWith("dns/txt")) {
                return error(DkimResult.Verdict.PERMERROR, "unknown query method q=" + tags.get("q"));
            }
            return null;
        }
    }

    private DkimResult finish(Check c, List<String> fields) {
        byte[] bodyHash = c.body.finish();
        byte[] claimed;
        try {
            claimed = Base64.getDecoder().decode(c.tags.get("bh").replaceAll("[ \t\r\n]", ""));
        } catch (IllegalArgumentException e) {
            return c.error(DkimResult.Verdict.PERMERROR, "bh= is not base64");
        }
        if (!MessageDigest.isEqual(bodyHash, claimed)) {
            return c.error(DkimResult.Verdict.FAIL, "body hash did not verify");
        }
        KeyRecord key;
        try {
            key = key(c.s(), c.d());
        } catch (KeyException e) {
            return c.error(e.verdict, e.getMessage());
        }
        String a = c.tags.get("a").toLowerCase(Locale.ROOT);
        if (!key.type.equals(a.startsWith("ed25519") ? "ed25519" : "rsa")) {
            return c.error(DkimResult.Verdict.PERMERROR, "key type k=" + key.type + " does not match a=" + a);
        }
        byte[] data = signedData(c, fields);
        try {
            byte[] signature = Base64.getDecoder().decode(c.b());
            boolean ok;
            if (key.type.equals("ed25519")) {
                Signature v = Signature.getInstance("Ed25519");
                v.initVerify(key.key);
                v.update(MessageDigest.getInstance("SHA-256").digest(data));
                ok = v.verify(signature);
            } else {
                Signature v = Signature.getInstance("SHA256withRSA");
                v.initVerify(key.key);
                v.update(data);
                ok = v.verify(signature);
            }
            return ok ? c.error(DkimResult.Verdict.PASS, "")
                    : c.error(DkimResult.Verdict.FAIL, "signature did not verify");
        } catch (IllegalArgumentException e) {
            return c.error(DkimResult.Verdict.PERMERROR, "b= is not base64");
        } catch (GeneralSecurityException e) {
            return c.error(DkimResult.Verdict.FAIL, "signature did not verify: " + e.getMessage());
        }
    }

    /** The header hash input (RFC 6376 3.7): the h= fields from the bottom up, then the signature without b=. */
    private static byte[] signedData(Check c, List<String> fields) {
        boolean relaxed = c.headerCanonicalisation().equals("relaxed");
        Map<String, Integer> used = new HashMap<>();
        StringBuilder data = new StringBuilder(1024);
        for (String name : c.tags.get("h").split(":")) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            int skip = used.merge(n, 1, Integer::sum) - 1;
            String field = null;
            for (int i = fields.size() - 1, seen = 0; i >= 0; i--) {
                if (HeaderSection.name(fields.get(i)).trim().toLowerCase(Locale.ROOT).equals(n) && seen++ == skip) {
                    field = fields.get(i);
                    break;
                }
            }
            if (field != null) { // a name listed more often than present signs "nothing" (RFC 6376 5.4.2)
                data.append(relaxed ? DkimCanonical.header(field) : field + "\r\n");
            }
        }
        String sig = withoutSignatureValue(c.field);
        String canonical = relaxed ? DkimCanonical.header(sig) : sig + "\r\n";
        data.append(canonical, 0, canonical.length() - 2);
        return data.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The DKIM-Signature field with the value of its b= tag removed (everything else exactly as it was). */
    static String withoutSignatureValue(String field) {
        int colon = field.indexOf(':');
        int i = colon + 1;
        while (i < field.length()) {
            int semi = field.indexOf(';', i);
            int end = semi < 0 ? field.length() : semi;
            String tag = field.substring(i, end);
            int eq = tag.indexOf('=');
            if (eq > 0 && tag.substring(0, eq).trim().equals("b")) {
                return field.substring(0, i + eq + 1) + field.substring(end);
            }
            i = end + 1;
        }
        return field;
    }

    /** Parses a tag-list (RFC 6376 3.2): tag names are case-sensitive, whitespace around them is ignored. */
    static Map<String, String> tagList(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + (p.length() > 40 ? p.substring(0, 40) + "..." : p)
                        + "' is not tag=value");
            }
            String name = p.substring(0, eq).trim();
            if (tags.put(name, p.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("tag " + name + " appears twice");
            }
        }
        return tags;
    }

    /** A public key from DNS. */
    private static final class KeyRecord {
        final String type;
        final PublicKey key;

        KeyRecord(String type, PublicKey key) {
            this.type = type;
            this.key = key;
        }
    }

    /** Why no key could be had: temporary (DNS) or permanent (no record, revoked, malformed). */
    private static final class KeyException extends Exception {
        private static final long serialVersionUID = 1L;
        final transient DkimResult.Verdict verdict;

        KeyException(DkimResult.Verdict verdict, String message) {
            super(message);
            this.verdict = verdict;
        }
    }

    private KeyRecord key(String selector, String domain) throws KeyException {
        String host = selector + "._domainkey." + domain;
        DnsAnswer r;
        try {
            r = dns.ask(host, DnsType.TXT);
        } catch (DnsException e) {
            throw new KeyException(DkimResult.Verdict.TEMPERROR, "key lookup at " + host + " failed: "
                    + e.getMessage());
        }
        String why = "no key for signature at " + host;
        for (DnsRecord.Txt rec : r.records(DnsRecord.Txt.class)) {
            Map<String, String> tags;
            try {
                tags = tagList(rec.text());
            } catch (IllegalArgumentException e) {
                why = "malformed key record at " + host + ": " + e.getMessage();
                continue;
            }
            if (tags.containsKey("v") && !tags.get("v").equals("DKIM1")) {
                why = "key record at " + host + " is not v=DKIM1";
                continue;
            }
            String p = tags.get("p");
            if (p == null) {
                why = "key record at " + host + " has no p= tag";
                continue;
            }
            p = p.replaceAll("[ \t\r\n]", "");
            if (p.isEmpty()) {
                throw new KeyException(DkimResult.Verdict.PERMERROR, "key revoked at " + host);
            }
            if (tags.containsKey("h") && !tags.get("h").toLowerCase(Locale.ROOT).contains("sha256")) {
                throw new KeyException(DkimResult.Verdict.PERMERROR, "key at " + host + " does not allow sha256");
            }
            String k = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
            try {
                byte[] der = Base64.getDecoder().decode(p);
                if (k.equals("ed25519")) {
                    byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
                    byte[] spki = new byte[prefix.length + der.length];
                    System.arraycopy(prefix, 0, spki, 0, prefix.length);
                    System.arraycopy(der, 0, spki, prefix.length, der.length);
                    return new KeyRecord(k, KeyFactory.getInstance("Ed25519").generatePublic(
                            new X509EncodedKeySpec(spki)));
                }
                if (k.equals("rsa")) {
                    return new KeyRecord(k, KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)));
                }
                why = "unknown key type k=" + k + " at " + host;
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                why = "malformed key at " + host + ": " + e.getMessage();
            }
        }
        throw new KeyException(DkimResult.Verdict.PERMERROR, why);
    }

    /** Builds a {@link DkimVerifier}. Not thread-safe. */
    public static final class Builder extends DnsCheckBuilder<Builder> {
        private Clock clock = Clock.systemUTC();

        private Builder() {
            super(Duration.ofSeconds(5));
        }

        /** The clock for {@code x=} expiry (default the system clock). */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Builds the verifier. */
        public DkimVerifier build() {
            return new DkimVerifier(this);
        }
    }
}
