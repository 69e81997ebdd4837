package dev.mailkit.relay;

import dev.mailkit.core.Arguments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches a domain's MTA-STS policy text as RFC 8461 3.3 asks: {@code GET /.well-known/mta-sts.txt} from
 * {@code mta-sts.DOMAIN} over HTTPS with a certificate that is trusted and names that host, no redirects followed,
 * status 200 only, a {@code text/plain} body (not chunked) of at most {@link #MAX_POLICY_BYTES}. The text is parsed
 * with {@link MtaStsPolicy#parse}. The relay enforces policies fetched this way, and {@code mailkit diagnose} checks
 * a domain's policy with it.
 *
 * <p>Defaults: the JVM's default trust ({@link SSLContext#getDefault()}), port 443, a 15-second connect and read
 * timeout, the {@code User-Agent} "mailkit". Immutable and thread-safe: one fetcher serves any number of threads.
 */
public final class MtaStsPolicyFetcher {
    /** The largest policy accepted, in bytes (RFC 8461 3.3 lets senders limit it; 64 KiB, as the RFC suggests). */
    public static final int MAX_POLICY_BYTES = 64 * 1024;

    private final SSLContext trust;
    private final int port;
    private final Duration timeout;
    private final String userAgent;

    private MtaStsPolicyFetcher(Builder b) {
        this.trust = b.trust;
        this.port = b.port;
        this.timeout = b.timeout;
        this.userAgent = b.userAgent;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The URL of the domain's policy ({@code https://mta-sts.DOMAIN[:port]/.well-known/mta-sts.txt}), for messages. */
    public String url(String domain) {
        return "https://mta-sts." + domain + (port == 443 ? "" : ":" + port) + "/.well-known/mta-sts.txt";
    }

    /**
     * The policy text of a domain, fetched from {@code address}, one of the addresses of {@code mta-sts.DOMAIN}.
     *
     * @throws IOException if it cannot be fetched or is not served as RFC 8461 3.3 asks; the message says why
     */
    public String fetch(String domain, InetAddress address) throws IOException {
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
                    + "User-Agent: " + userAgent + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return body(s.getInputStream());
        }
    }

    private static String body(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        for (int n; (n = in.read(b)) > 0; ) {
            buf.write(b, 0, n);
            if (buf.size() > MAX_POLICY_BYTES + 8192) {
                throw new IOException("the answer is larger than " + MAX_POLICY_BYTES + " bytes");
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
        if (text.length() > MAX_POLICY_BYTES) {
            throw new IOException("the policy is larger than " + MAX_POLICY_BYTES + " bytes");
        }
        return text;
    }

    /** Builds a {@link MtaStsPolicyFetcher}; not thread-safe, {@link #build()} checks nothing further. */
    public static final class Builder {
        private SSLContext trust;
        private int port = 443;
        private Duration timeout = Duration.ofSeconds(15);
        private String userAgent = "mailkit";

        private Builder() {
        }

        /** Whom the policy host's certificate must be issued by (default: the JVM's default trust). */
        public Builder trust(SSLContext trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** The HTTPS port of {@code mta-sts.DOMAIN} (default 443; another only in tests). */
        public Builder mtaStsPort(int port) {
            this.port = Arguments.remotePort(port, "mtaStsPort");
            return this;
        }

        /** How long connecting, and then each read, may take (default 15 seconds). */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /** The {@code User-Agent} sent (default "mailkit"). */
        public Builder userAgent(String userAgent) {
            this.userAgent = Arguments.token(userAgent, "userAgent");
            return this;
        }

        /** The fetcher. */
        public MtaStsPolicyFetcher build() {
            if (trust == null) {
                try {
                    trust = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("this JVM has no default TLS context: set trust(SSLContext)", e);
                }
            }
            return new MtaStsPolicyFetcher(this);
        }
    }
}
