package dev.mailkit.relay.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches an MTA-STS policy as RFC 8461 3.3 asks: {@code GET /.well-known/mta-sts.txt} from {@code mta-sts.DOMAIN}
 * over HTTPS with a certificate that is trusted and names that host, no redirects followed, status 200 only, a
 * {@code text/plain} body of at most 64 KiB. Stateless; thread-safe.
 */
final class PolicyFetch {
    static final int MAX_POLICY = 64 * 1024;

    private final SSLContext trust;
    private final int port;
    private final Duration timeout;

    PolicyFetch(SSLContext trust, int port, Duration timeout) {
        this.trust = trust;
        this.port = port;
        this.timeout = timeout;
    }

    /** The URL of a domain's policy, for messages. */
    String url(String domain) {
        return "https://mta-sts." + domain + (port == 443 ? "" : ":" + port) + "/.well-known/mta-sts.txt";
    }

    /**
     * The policy text of a domain, fetched from one of the addresses of {@code mta-sts.DOMAIN}.
     *
     * @throws IOException if it cannot be fetched; the message says why
     */
    String fetch(String domain, InetAddress address) throws IOException {
        String host = "mta-sts." + domain;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(address, port), millis);
            s.setSoTimeout(millis);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must be for mta-sts.DOMAIN
            s.setSSLParameters(p);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n"
                    + "User-Agent: mailkit-relay\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return body(s.getInputStream());
        }
    }

    private static String body(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        for (int n; (n = in.read(b)) > 0; ) {
            buf.write(b, 0, n);
            if (buf.size() > MAX_POLICY + 8192) {
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
            throw new IOException("the server answered '" + status.replaceAll("[^\\x20-\\x7e]", "?")
                    + "' (a policy needs 200; redirects are not followed)");
        }
        String head = response.substring(0, end).toLowerCase(Locale.ROOT);
        if (head.contains("\ntransfer-encoding:")) {
            throw new IOException("a chunked answer (serve the policy with a Content-Length)");
        }
        if (!head.matches("(?s).*\ncontent-type: *text/plain\\b.*")) {
            throw new IOException("the policy is not served as text/plain");
        }
        String text = response.substring(end + 4);
        if (text.length() > MAX_POLICY) {
            throw new IOException("the policy is larger than " + MAX_POLICY + " bytes");
        }
        return text;
    }
}
