package dev.mailkit.smtp;

import dev.mailkit.core.server.ProxyProtocol;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiver behind a TCP load balancer: the client a proxy's PROXY header names is the client of the session (the
 * {@code Received:} field shows it); a header from anyone else is an unknown command; a malformed one from a proxy
 * is refused.
 */
class ProxyProtocolSmtpTest {
    static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    static String reply(InputStream in) throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            StringBuilder sb = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            all.append(sb).append('\n');
            if (sb.length() < 4 || sb.charAt(3) != '-') {
                return all.toString().trim();
            }
        }
    }

    static String send(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        return reply(s.getInputStream());
    }

    static void transaction(Socket s) throws IOException {
        assertThat(send(s, "EHLO client.example")).startsWith("250");
        assertThat(send(s, "MAIL FROM:<a@example.org>")).startsWith("250");
        assertThat(send(s, "RCPT TO:<rcpt@local.test>")).startsWith("250");
        assertThat(send(s, "DATA")).startsWith("354");
        assertThat(send(s, "Subject: hi\r\n\r\nhello\r\n.")).startsWith("250");
        assertThat(send(s, "QUIT")).startsWith("221");
    }

    @Test
    void theClientAProxyNamesIsTheSessionsClient() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer server = SmtpTesting.mx(sink).proxyProtocol(ProxyProtocol.from("127.0.0.1")).build().start();
             Socket s = connect("127.0.0.1", server.port())) {
            s.getOutputStream().write("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(reply(s.getInputStream())).startsWith("220");
            transaction(s);
            assertThat(SmtpTesting.await(sink, 1).get(0).source().asString())
                    .contains("[192.0.2.7]").doesNotContain("127.0.0.1");
        }
    }

    @Test
    void version2FromTheProxyAndTheHeaderBeforeTheHandshakeOnSmtps() throws Exception {
        InMemorySink sink = new InMemorySink();
        TlsConfig tls = TlsConfig.selfSigned();
        try (SmtpServer server = SmtpTesting.mx(sink).tls(tls).smtps(0).users(SmtpTesting.users())
                .proxyProtocol(ProxyProtocol.from("127.0.0.0/8")).build().start();
             Socket plain = connect("127.0.0.1", server.port(SmtpRole.SMTPS))) {
            OutputStream out = plain.getOutputStream();
            out.write(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a2111000cc0000209c6336401dc04024b"));
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            try (Socket s = ctx.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true)) {
                s.setSoTimeout(5000);
                assertThat(reply(s.getInputStream())).startsWith("220");
                assertThat(send(s, "EHLO client.example")).startsWith("250");
                assertThat(send(s, "AUTH PLAIN AGFsaWNlQGxvY2FsLnRlc3QAYWxpY2Utc2VjcmV0")).startsWith("235");
                assertThat(send(s, "MAIL FROM:<alice@local.test>")).startsWith("250");
                assertThat(send(s, "RCPT TO:<rcpt@local.test>")).startsWith("250");
                assertThat(send(s, "DATA")).startsWith("354");
                assertThat(send(s, "Subject: hi\r\n\r\nhello\r\n.")).startsWith("250");
            }
            assertThat(SmtpTesting.await(sink, 1).get(0).source().asString()).contains("[192.0.2.9]");
        }
    }

    @Test
    void nobodyElseCanClaimAnAddressAndAMalformedHeaderFromTheProxyIsRefused() throws Exception {
        InMemorySink sink = new InMemorySink();
        try (SmtpServer server = SmtpTesting.mx(sink).proxyProtocol(ProxyProtocol.from("127.0.0.1/32")).build()
                .start()) {
            try (Socket s = connect("127.0.0.2", server.port())) {
                assertThat(reply(s.getInputStream())).startsWith("220");
                assertThat(send(s, "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25")).startsWith("500");
                transaction(s);
            }
            assertThat(SmtpTesting.await(sink, 1).get(0).source().asString())
                    .contains("[127.0.0.2]").doesNotContain("192.0.2.7");
            try (Socket s = connect("127.0.0.1", server.port())) {
                s.getOutputStream().write("PROXY TCP4 192.0.2.7 localhost 56324 25\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(reply(s.getInputStream())).isEqualTo("421 4.7.0 Invalid PROXY protocol header");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            try (Socket s = connect("127.0.0.1", server.port())) {
                s.getOutputStream().write("EHLO no.header.example\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(reply(s.getInputStream())).startsWith("421 4.7.0");
            }
        }
    }

    private static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
