package dev.mailkit.core.server;

import dev.mailkit.core.tls.TlsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PROXY protocol: the header parser (v1 and v2, exact reads, hostile headers) and TcpServer behind a proxy. */
class ProxyProtocolTest {
    static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
    static final byte[] SIG = HexFormat.of().parseHex("0d0a0d0a000d0a515549540a");

    static InetSocketAddress read(byte[] header) throws IOException {
        return ProxyProtocol.from("127.0.0.1").readHeader(new ByteArrayInputStream(header), PEER);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] v2(int verCmd, int family, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(SIG);
        b.write(verCmd);
        b.write(family);
        b.write(body.length >> 8);
        b.write(body.length & 0xff);
        b.writeBytes(body);
        return b.toByteArray();
    }

    @Test
    void version1NamesTheClientAndIsReadExactly() throws Exception {
        InputStream in = new ByteArrayInputStream(ascii("PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\r\nEHLO x\r\n"));
        InetSocketAddress client = ProxyProtocol.from("127.0.0.1").readHeader(in, PEER);
        assertThat(client).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 56324));
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("EHLO x\r\n");
        assertThat(read(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 4000 143\r\n")))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 4000));
        assertThat(read(ascii("PROXY UNKNOWN\r\n"))).isEqualTo(PEER);
        assertThat(read(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"))).isEqualTo(PEER);
    }

    @Test
    void version2NamesTheClientSkipsTlvsAndIsReadExactly() throws Exception {
        byte[] body = HexFormat.of().parseHex("c0000207" + "c6336401" + "dc04" + "01bb" + "0400030a0b0c");
        byte[] rest = ascii("a001 CAPABILITY\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(v2(0x21, 0x11, body));
        all.writeBytes(rest);
        InputStream in = new ByteArrayInputStream(all.toByteArray());
        assertThat(ProxyProtocol.from("127.0.0.1").readHeader(in, PEER))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 56324));
        assertThat(in.readAllBytes()).isEqualTo(rest);
        byte[] six = new byte[36];
        System.arraycopy(InetAddress.getByName("2001:db8::7").getAddress(), 0, six, 0, 16);
        six[32] = 0x0f;
        six[33] = (byte) 0xa0;
        assertThat(read(v2(0x21, 0x21, six)))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 4000));
        assertThat(read(v2(0x20, 0x11, body))).as("LOCAL: the proxy's own connection").isEqualTo(PEER);
        assertThat(read(v2(0x21, 0x00, new byte[0]))).as("UNSPEC").isEqualTo(PEER);
        assertThat(read(v2(0x21, 0x31, new byte[216]))).as("UNIX").isEqualTo(PEER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25\n", // LF without CR
        "PROXY TCP4 192.0.2.7 198.51.100.1 56324\r\n", // a field missing
        "PROXY TCP4 999.0.2.7 198.51.100.1 56324 25\r\n",
        "PROXY TCP4 localhost 198.51.100.1 56324 25\r\n", // names are never looked up
        "PROXY TCP4 2001:db8::7 198.51.100.1 56324 25\r\n",
        "PROXY TCP6 example.com 2001:db8::1 56324 25\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 65536 25\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 0080 25\r\n",
        "PROXY TCP4  192.0.2.7 198.51.100.1 56324 25\r\n",
        "PROXY UDP4 192.0.2.7 198.51.100.1 56324 25\r\n",
        "PROXY TCP4 192.0.2.7 198.51.100.1 56324 25 x'; DROP TABLE t;--\r\n",
        "proxy TCP4 192.0.2.7 198.51.100.1 56324 25\r\n",
        "EHLO client.example\r\n",
        "PROXY TCP4 192.0.2.7\u0000 198.51.100.1 56324 25\r\n",
    })
    void malformedVersion1HeadersAreRefused(String header) {
        assertThatThrownBy(() -> read(header.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void overlongTruncatedAndMalformedHeadersAreRefused() {
        assertThatThrownBy(() -> read(ascii("PROXY UNKNOWN " + "x".repeat(200) + "\r\n")))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("107");
        assertThatThrownBy(() -> read(ascii("PROXY TCP4 192.0.2.7"))).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read(new byte[0])).isInstanceOf(EOFException.class);
        byte[] body = new byte[12];
        assertThatThrownBy(() -> read(v2(0x11, 0x11, body))).as("version 1 in a v2 head")
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(v2(0x22, 0x11, body))).as("command 2").isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(v2(0x21, 0x11, new byte[8]))).as("short address")
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(v2(0x21, 0x21, new byte[20]))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(v2(0x21, 0x99, body))).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(v2(0x21, 0x11, new byte[4000]))).as("too long")
                .isInstanceOf(ProtocolException.class).hasMessageContaining("4000");
        byte[] badSig = v2(0x21, 0x11, body);
        badSig[7] = 'X';
        assertThatThrownBy(() -> read(badSig)).isInstanceOf(ProtocolException.class);
        byte[] cut = java.util.Arrays.copyOf(v2(0x21, 0x11, body), 20);
        assertThatThrownBy(() -> read(cut)).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> ProxyProtocol.from(java.util.List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyProtocol.from("127.0.0.1").withHeaderTimeout(java.time.Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------- TcpServer

    /** Greets with the client's address as the server sees it, then echoes lines. */
    static TcpServer.Builder whoAmI(ProxyProtocol proxy) {
        return TcpServer.builder("who").proxyProtocol(proxy).handler(c -> {
            OutputStream out = c.output();
            out.write(("+OK " + c.remoteAddress().getAddress().getHostAddress() + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            while ((line = c.input().readLine(200)) != null) {
                out.write(("+OK " + line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }).refusalMessage((why, addr) -> "-ERR too many connections from " + addr.getHostAddress() + "\r\n");
    }

    static Socket connect(InetAddress from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    static String line(Socket s) throws IOException {
        StringBuilder sb = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    @Test
    void aProxysConnectionIsTheClientItNamesAndOthersCannotClaimAnAddress() throws Exception {
        try (TcpServer server = whoAmI(ProxyProtocol.from("127.0.0.1/32")).build().start()) {
            try (Socket s = connect(InetAddress.getByName("127.0.0.1"), server.port())) {
                s.getOutputStream().write(v2(0x21, 0x11, HexFormat.of().parseHex("c0000207c6336401dc04008f")));
                assertThat(line(s)).isEqualTo("+OK 192.0.2.7");
            }
            try (Socket s = connect(InetAddress.getByName("127.0.0.1"), server.port())) {
                s.getOutputStream().write(ascii("PROXY TCP4 203.0.113.9 198.51.100.1 1234 143\r\nhello\r\n"));
                assertThat(line(s)).isEqualTo("+OK 203.0.113.9");
                assertThat(line(s)).isEqualTo("+OK hello");
            }
            // 127.0.0.2 is no proxy: its PROXY line is only a line, and its own address stays its address
            try (Socket s = connect(InetAddress.getByName("127.0.0.2"), server.port())) {
                assertThat(line(s)).isEqualTo("+OK 127.0.0.2");
                s.getOutputStream().write(ascii("PROXY TCP4 203.0.113.9 198.51.100.1 1234 143\r\n"));
                assertThat(line(s)).isEqualTo("+OK PROXY TCP4 203.0.113.9 198.51.100.1 1234 143");
            }
            // a proxy that sends no valid header gets nothing and is closed
            try (Socket s = connect(InetAddress.getByName("127.0.0.1"), server.port())) {
                s.getOutputStream().write(ascii("GET / HTTP/1.0\r\n\r\n"));
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void perAddressLimitsCountTheClientsBehindTheProxy() throws Exception {
        try (TcpServer server = whoAmI(ProxyProtocol.from("127.0.0.0/8")).maxConnections(10)
                .maxConnectionsPerAddress(1).build().start();
             Socket a = connect(InetAddress.getByName("127.0.0.1"), server.port());
             Socket b = connect(InetAddress.getByName("127.0.0.1"), server.port());
             Socket again = connect(InetAddress.getByName("127.0.0.1"), server.port())) {
            a.getOutputStream().write(ascii("PROXY TCP4 192.0.2.1 192.0.2.254 1000 143\r\n"));
            assertThat(line(a)).isEqualTo("+OK 192.0.2.1");
            b.getOutputStream().write(ascii("PROXY TCP4 192.0.2.2 192.0.2.254 1000 143\r\n"));
            assertThat(line(b)).as("another client through the same proxy").isEqualTo("+OK 192.0.2.2");
            again.getOutputStream().write(ascii("PROXY TCP4 192.0.2.1 192.0.2.254 1001 143\r\n"));
            assertThat(line(again)).isEqualTo("-ERR too many connections from 192.0.2.1");
        }
    }

    @Test
    void theHeaderComesBeforeTheHandshakeOnAnImplicitTlsPort() throws Exception {
        TlsConfig tls = TlsConfig.selfSigned();
        try (TcpServer server = whoAmI(ProxyProtocol.from("127.0.0.1")).implicitTls(tls).build().start();
             Socket plain = connect(InetAddress.getByName("127.0.0.1"), server.port())) {
            plain.getOutputStream().write(ascii("PROXY TCP6 2001:db8::9 2001:db8::1 5000 993\r\n"));
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
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
            }}, null);
            try (Socket s = ctx.getSocketFactory().createSocket(plain, "localhost", server.port(), true)) {
                assertThat(line(s)).isEqualTo("+OK 2001:db8:0:0:0:0:0:9");
            }
        }
    }
}
