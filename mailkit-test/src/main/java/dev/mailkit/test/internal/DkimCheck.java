package dev.mailkit.test.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.dns.DnsAnswer;
import dev.mailkit.core.dns.DnsRecord;
import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.dns.DnsType;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dkim.DkimVerifier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies a received message's DKIM signatures for the assertions, with the public key the test gives (no DNS):
 * mailkit-mailauth's verifier asks a resolver that knows only that key record. This class is the only one in
 * mailkit-test that names mailkit-mailauth (an optional dependency), so the rest works without it.
 */
public final class DkimCheck {
    private DkimCheck() {
    }

    /**
     * The outcome for one domain: null when a signature of the domain verifies, else why not.
     *
     * @param keyRecord the key record as published in DNS ({@code v=DKIM1; k=...; p=...})
     */
    public static String failure(MessageSource message, String domain, String keyRecord) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        DnsResolver keys = (name, type) -> CompletableFuture.completedFuture(
                type == DnsType.TXT && name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "").endsWith("._domainkey." + d)
                        ? DnsAnswer.of(List.of(DnsRecord.Txt.of(keyRecord))) : DnsAnswer.noSuchName());
        List<DkimResult> results = DkimVerifier.builder().resolver(keys).build().verify(message);
        List<String> seen = new ArrayList<>();
        for (DkimResult r : results) {
            if (d.equalsIgnoreCase(r.domain()) && r.isPass()) {
                return null;
            }
            seen.add(r.toString());
        }
        return seen.isEmpty() ? "the message has no DKIM-Signature" : "the signatures gave " + seen;
    }
}
