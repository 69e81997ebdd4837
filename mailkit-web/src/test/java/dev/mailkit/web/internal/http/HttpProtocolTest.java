package dev.mailkit.web.internal.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * mailkit's HTTP/1.1 server with hostile and unusual requests sent as bytes over a real socket: the request smuggling
 * class, oversize and trickled headers, bad encodings, keep-alive, pipelining, {@code 100 Continue}, chunked bodies.
 */
class HttpProtocolTest {
    private HttpService server;

    @BeforeEach
    void start() {
        HttpService.Settings s = new HttpService.Settings();
        s.maxBody = 1000;
        s.maxHeaderBytes = 4096;
        s.headerTimeout = Duration.ofMillis(500);
        s.idleTimeout = Duration.ofSeconds(5);
        server = new HttpService(s, r -> HttpResponse.text(200, r.method() + " " + String.join("|", r.segments())
                + " q=" + r.query("q") + " body=" + r.bodyText()));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends bytes, reads until the server closes (or 5 s pass), returns what came back. */
    private String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return readAll(s.getInputStream());
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return b.toString(StandardCharsets.ISO_8859_1) + "[still open]";
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndTheConnectionClosed() throws IOException {
        String r = exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r).startsWith("HTTP/1.1 400 ").contains("Connection: close").doesNotContain("smuggled")
                .doesNotEndWith("[still open]");
    }

    @Test
    void conflictingLengthsFoldingAndUnknownCodingsAreRefused() throws IOException {
        assertThat(exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"))
                .startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a HTTP/1.1\r\nHost : x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .startsWith("HTTP/1.1 501 ");
        assertThat(exchange("GET /a HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a HTTP/2.0\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 505 ");
        assertThat(exchange("GET http://other/a HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void oversizeLinesHeadersAndBodiesAreRefused() throws IOException {
        assertThat(exchange("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414 ");
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 200; i++) {
            many.append("X-").append(i).append(": ").append("v".repeat(30)).append("\r\n");
        }
        assertThat(exchange(many + "\r\n")).startsWith("HTTP/1.1 431 ");
        assertThat(exchange("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n")).startsWith("HTTP/1.1 413 ");
        assertThat(exchange("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n"
                + "a".repeat(1024) + "\r\n0\r\n\r\n")).startsWith("HTTP/1.1 413 ");
    }

    @Test
    void aTrickledHeaderIsCutOffAtTheDeadline() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET /a HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server, not a timeout
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void pathsAndQueriesAreDecodedStrictly() throws IOException {
        assertThat(exchange("GET /a%2Fb/c?q=x%20y+z HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .contains("GET a/b|c q=x y z");
        assertThat(exchange("GET /a/%2e%2e/b HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a/../b HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a%00 HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /a?q=%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(exchange("GET /%C3%BCber HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).contains(new String("GET über".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }

    @Test
    void keepAlivePipeliningContinueAndChunkedBodies() throws IOException {
        String r = exchange("GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nTrailer: t\r\n\r\n"
                + "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r).contains("GET one").contains("POST two q=null body=abcde").contains("GET three")
                .doesNotEndWith("[still open]");
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close"
                    .concat("\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] cont = new byte[25];
            int n = s.getInputStream().readNBytes(cont, 0, cont.length);
            assertThat(new String(cont, 0, n, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readAll(s.getInputStream())).startsWith("HTTP/1.1 200 ").contains("body=hello");
        }
        assertThat(exchange("GET /old HTTP/1.0\r\nHost: x\r\n\r\n")).contains("Connection: close")
                .doesNotEndWith("[still open]");
    }

    @Test
    void responsesCarryTheSecurityHeadersAndRefuseHeaderInjection() throws IOException {
        String r = exchange("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(r).contains("X-Content-Type-Options: nosniff\r\n").contains("Referrer-Policy: no-referrer\r\n")
                .contains("X-Frame-Options: DENY\r\n").contains("Cache-Control: no-store\r\n");
        HttpResponse resp = HttpResponse.ok();
        assertThatThrownBy(() -> resp.header("Content-Disposition", "attachment\r\nSet-Cookie: x=1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> resp.header("X-Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
    }
}
