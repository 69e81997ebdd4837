package dev.mailkit.examples.diagnose;

import dev.mailkit.examples.diagnose.Diagnosis.Finding;
import dev.mailkit.examples.diagnose.Diagnosis.Status;
import dev.mailkit.relay.MtaStsPolicy;
import dev.mailkit.relay.MtaStsPolicyFetcher;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fetches a domain's MTA-STS policy (RFC 8461 3.3) from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} with
 * the relay's {@link MtaStsPolicyFetcher}, so exactly as the relay would (a trusted certificate for that name, status
 * 200, text/plain, at most 64 KiB), and checks it: {@code version: STSv1}, a
 * {@code mode}, a {@code max_age}, and {@code mx} patterns that cover every MX host (parsed by the relay's
 * {@link MtaStsPolicy}, the parser the relay enforces policies with). Stateless; thread-safe.
 */
final class StsPolicyCheck {
    private final MtaStsPolicyFetcher fetcher;
    private final Function<String, List<InetAddress>> addresses;

    StsPolicyCheck(X509TrustManager trust, int port, Function<String, List<InetAddress>> addresses) {
        this.fetcher = MtaStsPolicyFetcher.builder().trust(context(trust)).mtaStsPort(port)
                .timeout(Duration.ofSeconds(15)).userAgent("mailkit-diagnose").build();
        this.addresses = addresses;
    }

    private static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    Finding check(String domain, List<String> mxHosts) {
        String host = "mta-sts." + domain;
        String url = fetcher.url(domain);
        String fix = "serve at " + url + " (text/plain): version: STSv1, mode: enforce, "
                + String.join(", ", mxHosts.stream().map(h -> "mx: " + h).toList()) + ", max_age: 604800";
        List<InetAddress> where = addresses.apply(host);
        if (where.isEmpty()) {
            return new Finding("mta-sts-policy", Status.FAIL, host + " has no address: senders cannot fetch the "
                    + "policy that _mta-sts." + domain + " announces", host + ". IN A <the web server's address>");
        }
        String body;
        try {
            body = fetcher.fetch(domain, where.get(0));
        } catch (IOException e) {
            return new Finding("mta-sts-policy", Status.FAIL, "cannot fetch " + url + ": " + oneLine(e.getMessage()),
                    fix);
        }
        MtaStsPolicy policy;
        try {
            policy = MtaStsPolicy.parse(body);
        } catch (IllegalArgumentException e) {
            return new Finding("mta-sts-policy", Status.FAIL, "the policy at " + url + " is not valid: "
                    + e.getMessage(), fix);
        }
        List<String> mx = policy.mx();
        String maxAge = String.valueOf(policy.maxAge().toSeconds());
        for (String h : mxHosts) {
            if (policy.mode() != MtaStsPolicy.Mode.NONE && !policy.matches(h)) {
                return new Finding("mta-sts-policy", Status.FAIL, "the policy at " + url + " does not cover MX host "
                        + h + " (mx: " + mx + "): senders that enforce it will not deliver there", fix);
            }
        }
        String mode = policy.mode().name().toLowerCase(Locale.ROOT);
        if (!mode.equals("enforce")) {
            return new Finding("mta-sts-policy", Status.WARN, "the policy at " + url + " has mode: " + mode
                    + ": senders do not yet refuse to deliver without valid TLS", "mode: enforce, once TLS-RPT "
                    + "reports show no failures");
        }
        return new Finding("mta-sts-policy", Status.OK, url + ": mode enforce, mx " + mx + ", max_age " + maxAge, "");
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("[\\r\\n]+", " ");
    }
}
