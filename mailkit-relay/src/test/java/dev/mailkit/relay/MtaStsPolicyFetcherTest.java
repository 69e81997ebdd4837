package dev.mailkit.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mailkit.core.tls.TlsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MtaStsPolicyFetcher} against the JDK's HTTPS server on loopback: what RFC 8461 3.3 allows is returned as it
 * was served; a redirect, another status, another media type, a chunked or an oversized answer, a certificate that
 * does not name {@code mta-sts.DOMAIN} or is not trusted each fail with a message that says which.
 */
class MtaStsPolicyFetcherTest {
    static final TlsConfig TLS = TlsConfig.selfSigned("mta-sts.good.test", "mta-sts.moved.test", "mta-sts.html.test",
            "mta-sts.chunked.test", "mta-sts.huge.test", "mta-sts.missing.test");
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.good.test\r\nmax_age: 86400\r\n";

    /** What each policy host answers: a status, a Content-Type and a body (-1: chunked). */
    record Answer(int status, String type, String body, boolean chunked) {
    }

    static final Map<String, Answer> ANSWERS = Map.of(
            "good.test", new Answer(200, "text/plain; charset=utf-8", POLICY, false),
            "moved.test", new Answer(301, "text/plain", "", false),
            "html.test", new Answer(200, "text/html", POLICY, false),
            "chunked.test", new Answer(200, "text/plain", POLICY, true),
            "huge.test", new Answer(200, "text/plain", POLICY + "x".repeat(MtaStsPolicyFetcher.MAX_POLICY_BYTES),
                    false),
            "other.test", new Answer(200, "text/plain", POLICY, false));

    HttpsServer https;
    final Map<String, String> userAgents = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(TLS.serverSslContext()));
        https.createContext("/.well-known/mta-sts.txt", this::answer);
        https.start();
    }

    private void answer(HttpExchange x) throws IOException {
        String domain = x.getRequestHeaders().getFirst("Host").replaceFirst(":.*", "").substring("mta-sts.".length());
        userAgents.put(domain, x.getRequestHeaders().getFirst("User-Agent"));
        Answer a = ANSWERS.get(domain);
        byte[] body = a.body().getBytes(StandardCharsets.US_ASCII);
        x.getResponseHeaders().add("Content-Type", a.type());
        if (a.status() == 301) {
            x.getResponseHeaders().add("Location", "https://elsewhere.test/.well-known/mta-sts.txt");
        }
        x.sendResponseHeaders(a.status(), a.chunked() ? 0 : body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @AfterEach
    void stop() {
        https.stop(0);
    }

    MtaStsPolicyFetcher fetcher(TlsConfig trusted) {
        return MtaStsPolicyFetcher.builder().trust(trusted.clientSslContext()).mtaStsPort(https.getAddress().getPort())
                .timeout(Duration.ofSeconds(10)).userAgent("mailkit-test").build();
    }

    String fetch(String domain) throws IOException {
        return fetcher(TLS).fetch(domain, InetAddress.getLoopbackAddress());
    }

    @Test
    void aPolicyServedAsRfc8461AsksIsReturnedAsServed() throws IOException {
        assertThat(fetch("good.test")).isEqualTo(POLICY);
        assertThat(MtaStsPolicy.parse(fetch("good.test")).matches("mx.good.test")).isTrue();
        assertThat(userAgents).containsEntry("good.test", "mailkit-test");
        assertThat(fetcher(TLS).url("good.test"))
                .isEqualTo("https://mta-sts.good.test:" + https.getAddress().getPort() + "/.well-known/mta-sts.txt");
        assertThat(MtaStsPolicyFetcher.builder().build().url("good.test"))
                .isEqualTo("https://mta-sts.good.test/.well-known/mta-sts.txt");
    }

    @Test
    void whatRfc8461ForbidsFailsSayingWhat() {
        assertThatThrownBy(() -> fetch("moved.test")).isInstanceOf(IOException.class)
                .hasMessageContaining("301").hasMessageContaining("redirects are not followed");
        assertThatThrownBy(() -> fetch("html.test")).hasMessage("the policy is not served as text/plain");
        assertThatThrownBy(() -> fetch("chunked.test")).hasMessageContaining("chunked answer");
        assertThatThrownBy(() -> fetch("huge.test")).hasMessageContaining("larger than 65536 bytes");
    }

    @Test
    void aCertificateThatDoesNotNameThePolicyHostOrIsNotTrustedIsRefused() {
        // other.test answers, but the certificate does not name mta-sts.other.test
        assertThatThrownBy(() -> fetch("other.test")).isInstanceOf(IOException.class);
        assertThat(userAgents).doesNotContainKey("other.test");
        TlsConfig stranger = TlsConfig.selfSigned("mta-sts.good.test");
        assertThatThrownBy(() -> fetcher(stranger).fetch("good.test", InetAddress.getLoopbackAddress()))
                .isInstanceOf(IOException.class);
        assertThat(userAgents).doesNotContainKey("good.test");
    }

    @Test
    void settingsOutOfRangeAreRefusedNamingThem() {
        assertThatThrownBy(() -> MtaStsPolicyFetcher.builder().mtaStsPort(0))
                .hasMessage("mtaStsPort must be 1..65535, was 0");
        assertThatThrownBy(() -> MtaStsPolicyFetcher.builder().timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> MtaStsPolicyFetcher.builder().userAgent("two words"))
                .hasMessageContaining("userAgent must be printable ASCII without spaces");
    }
}
