package dev.mailkit.examples.diagnose;

import dev.mailkit.examples.diagnose.Diagnosis.Finding;
import dev.mailkit.examples.diagnose.Diagnosis.Status;
import dev.mailkit.relay.MtaStsPolicy;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Fetches a domain's MTA-STS policy (RFC 8461 3.3) from {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} as a
 * sending server would (a trusted certificate for that name, status 200) and checks it: {@code version: STSv1}, a
 * {@code mode}, a {@code max_age}, and {@code mx} patterns that cover every MX host (parsed by the relay's
 * {@link MtaStsPolicy}, the parser the relay enforces policies with). Stateless; thread-safe.
 */
final class StsPolicyCheck {
    private static final int MAX_POLICY = 64 * 1024;

    private final X509TrustManager trust;
    private final int port;
    private final Function<String, List<InetAddress>> addresses;

    StsPolicyCheck(X509TrustManager trust, int port, Function<String, List<InetAddress>> addresses) {
        this.trust = trust;
        this.port = port;
        this.addresses = addresses;
    }

    Finding check(String domain, List<String> mxHosts) {
        String host = "mta-sts." + domain;
        String url = "https://" + host + (port == 443 ? "" : ":" + port) + "/.well-known/mta-sts.txt";
        String fix = "serve at " + url + " (text/plain): version: STSv1, mode: enforce, "
                + String.join(", ", mxHosts.stream().map(h -> "mx: " + h).toList()) + ", max_age: 604800";
        List<InetAddress> where = addresses.apply(host);
        if (where.isEmpty()) {
            return new Finding("mta-sts-policy", Status.FAIL, host + " has no address: senders cannot fetch the "
                    + "policy that _mta-sts." + domain + " announces", host + ". IN A <the web server's address>");
        }
        String body;
        try {
            body = fetch(host, where.get(0));
        } catch (IOException | java.security.GeneralSecurityException e) {
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

    private String fetch(String host, InetAddress address) throws IOException, java.security.GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {trust}, null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(address, port), 15_000);
            s.setSoTimeout(15_000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must be for mta-sts.DOMAIN
            s.setSSLParameters(p);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "User-Agent: mailkit-diagnose\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) > 0; ) {
                buf.write(b, 0, n);
                if (buf.size() > MAX_POLICY) {
                    throw new IOException("the answer is larger than " + MAX_POLICY + " bytes");
                }
            }
            String response = buf.toString(StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("not an HTTP answer");
            }
            String status = response.substring(0, Math.max(0, response.indexOf("\r\n")));
            if (!status.matches("HTTP/1\\.[01] 200( .*)?")) {
                throw new IOException("the server answered " + status.replaceAll("[^\\x20-\\x7e]", "?"));
            }
            if (response.substring(0, end).toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                throw new IOException("a chunked answer (serve the policy with a Content-Length)");
            }
            return response.substring(end + 4);
        }
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("[\\r\\n]+", " ");
    }
}
