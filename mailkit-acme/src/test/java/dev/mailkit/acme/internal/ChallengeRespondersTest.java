package dev.mailkit.acme.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.util.CertificateUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The challenge responders over real sockets, with hostile requests: only a pending token's key authorization is
 * ever answered, never for a path that merely contains it, and the TLS-ALPN-01 responder completes a handshake only
 * for acme-tls/1 and a pending domain.
 */
class ChallengeRespondersTest {
    private static final String TOKEN = "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA";
    private static final String KEY_AUTHORIZATION = TOKEN + ".9jg46WB3rR_AHD-EBXdN7cBkH1WOu0tA3M9fm21mqTI";

    private final Challenges challenges = new Challenges();
    private ChallengeResponder responder;

    @AfterEach
    void close() {
        if (responder != null) {
            responder.close();
        }
    }

    @Test
    void http01AnswersOnlyAPendingTokenAtItsExactPath() throws Exception {
        responder = Http01Responder.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), challenges);
        String path = "/.well-known/acme-challenge/" + TOKEN;
        assertThat(http("GET " + path)).startsWith("HTTP/1.1 404").doesNotContain(TOKEN);

        challenges.putHttp(TOKEN, KEY_AUTHORIZATION);
        assertThat(http("GET " + path)).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + KEY_AUTHORIZATION)
                .containsIgnoringCase("Content-Type: text/plain");
        assertThat(http("HEAD " + path)).startsWith("HTTP/1.1 200").doesNotContain(KEY_AUTHORIZATION);

        for (String hostile : List.of(
                "GET /.well-known/acme-challenge/../acme-challenge/" + TOKEN,
                "GET /.well-known/acme-challenge/%2e%2e/" + TOKEN,
                "GET /.well-known/acme-challenge/" + TOKEN + "/",
                "GET /.well-known/acme-challenge/" + TOKEN + "%00",
                "GET /x/.well-known/acme-challenge/" + TOKEN,
                "GET /.well-known/acme-challenge/",
                "GET /.well-known/acme-challenge/" + TOKEN.substring(1),
                "GET /.well-known/acme-challenge/" + "A".repeat(5000),
                "GET /../account.pem",
                "GET /")) {
            assertThat(http(hostile)).as(hostile).startsWith("HTTP/1.1 404").doesNotContain(KEY_AUTHORIZATION);
        }
        assertThat(http("POST " + path)).startsWith("HTTP/1.1 405").contains("Allow: GET, HEAD")
                .doesNotContain(KEY_AUTHORIZATION);
        assertThat(http("DELETE " + path)).startsWith("HTTP/1.1 405");
        // garbage instead of a request line: refused, and the responder still answers afterwards
        assertThat(raw("\u0000\u0001\u0002 garbage\r\n\r\n")).doesNotContain(KEY_AUTHORIZATION);
        assertThat(http("GET " + path)).startsWith("HTTP/1.1 200");

        challenges.removeHttp(TOKEN);
        assertThat(http("GET " + path)).startsWith("HTTP/1.1 404").doesNotContain(KEY_AUTHORIZATION);
    }

    @Test
    void tlsAlpn01HandshakesOnlyForAcmeTls1AndAPendingDomain() throws Exception {
        responder = TlsAlpnResponder.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), challenges);
        KeyPair pair = KeyFiles.generateRsa();
        byte[] validation = new byte[32];
        Arrays.fill(validation, (byte) 7);
        X509Certificate cert = CertificateUtils.createTlsAlpn01Certificate(pair, Identifier.dns("mail.example.com"),
                validation);
        assertThatThrownBy(() -> handshake("mail.example.com", TlsAlpnResponder.ACME_TLS_1))
                .isInstanceOf(IOException.class); // nothing pending yet

        challenges.putAlpn("mail.example.com", new Challenges.AlpnAnswer(cert, pair.getPrivate()));
        try (SSLSocket s = handshake("MAIL.example.com", TlsAlpnResponder.ACME_TLS_1)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("acme-tls/1");
            assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(cert);
        }
        // without acme-tls/1 (a browser, a mail client): no certificate, no handshake
        assertThatThrownBy(() -> handshake("mail.example.com", "http/1.1")).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> handshake("mail.example.com")).isInstanceOf(SSLHandshakeException.class);
        // another name, or none: nothing to present
        assertThatThrownBy(() -> handshake("other.example.com", TlsAlpnResponder.ACME_TLS_1))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> handshake(null, TlsAlpnResponder.ACME_TLS_1)).isInstanceOf(IOException.class);
        // plaintext garbage is dropped, and the responder goes on
        assertThat(raw("GET / HTTP/1.1\r\n\r\n")).doesNotContain("acme");
        try (SSLSocket s = handshake("mail.example.com", TlsAlpnResponder.ACME_TLS_1)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("acme-tls/1");
        }

        challenges.removeAlpn("mail.example.com");
        assertThatThrownBy(() -> handshake("mail.example.com", TlsAlpnResponder.ACME_TLS_1))
                .isInstanceOf(IOException.class);
    }

    private SSLSocket handshake(String sni, String... alpn) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AcceptAll()}, null);
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), responder.port());
        plain.setSoTimeout(10_000);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "127.0.0.1", responder.port(), true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        p.setApplicationProtocols(alpn);
        s.setSSLParameters(p);
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private String http(String requestLine) throws IOException {
        return raw(requestLine + " HTTP/1.1\r\nHost: mail.example.com\r\nConnection: close\r\n\r\n");
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), responder.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // the server may reset a connection it refuses
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** The test checks which certificate is presented, not who signed it. */
    private static final class AcceptAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
