package dev.mailkit.web.internal.http;

import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.ServerExecutors;
import dev.mailkit.core.server.TcpServer;
import dev.mailkit.core.tls.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * mailkit's HTTP/1.1 server: core's {@link TcpServer} (bind, port 0, implicit TLS, connection limits in total and
 * per client address, one thread per connection, virtual on JDK 21+, a close that returns within about a second)
 * with a request loop per connection. Keep-alive, {@code 100 Continue}, chunked request bodies, chunked or sized
 * responses, server-sent event streams. Limits: the request line and each header line 8 KiB, the header
 * {@code maxHeaderBytes} in all and at most 100 fields, a deadline for the whole header (a client that trickles
 * bytes is cut off), the body {@code maxBody} octets. Every response carries {@code X-Content-Type-Options: nosniff},
 * {@code Referrer-Policy: no-referrer}, {@code Cross-Origin-Resource-Policy: same-origin} and, unless the handler says
 * otherwise, {@code X-Frame-Options: DENY} and {@code Cache-Control: no-store}. Thread-safe.
 */
public final class HttpService {
    private final TcpServer tcp;
    private final Router.Handler handler;
    private final RequestReader reader;
    private final Duration idleTimeout;
    private final Duration headerTimeout;
    private volatile ScheduledThreadPoolExecutor deadlines;

    /** Settings for a server. */
    public static final class Settings {
        public InetAddress bindAddress = InetAddress.getLoopbackAddress();
        public int port;
        public TlsConfig tls;
        public int maxConnections = 1000;
        public int maxConnectionsPerAddress = 100;
        public int maxHeaderBytes = 32 * 1024;
        public long maxBody = 32L * 1024 * 1024;
        public Duration readTimeout = Duration.ofSeconds(30);
        public Duration idleTimeout = Duration.ofSeconds(60);
        public Duration headerTimeout = Duration.ofSeconds(20);
        public boolean virtualThreads = true;
        public dev.mailkit.core.server.ProxyProtocol proxyProtocol;
    }

    /** A server that answers every request with {@code handler}. */
    public HttpService(Settings s, Router.Handler handler) {
        this.handler = handler;
        this.reader = new RequestReader(s.maxHeaderBytes, 100, s.maxBody);
        this.idleTimeout = s.idleTimeout;
        this.headerTimeout = s.headerTimeout;
        TcpServer.Builder b = TcpServer.builder(s.tls == null ? "http" : "https")
                .bindAddress(s.bindAddress)
                .port(s.port)
                .maxConnections(s.maxConnections)
                .maxConnectionsPerAddress(s.maxConnectionsPerAddress)
                .readTimeout(s.readTimeout)
                .virtualThreads(s.virtualThreads)
                .proxyProtocol(s.proxyProtocol)
                .handler(new TcpServer.Handler() {
                    @Override
                    public void handle(Connection c) throws IOException {
                        session(c);
                    }
                })
                .refusalMessage("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 21"
                        + "\r\nConnection: close\r\n\r\ntoo many connections\n");
        if (s.tls != null) {
            b.implicitTls(s.tls);
        }
        this.tcp = b.build();
    }

    /** Binds and starts accepting. */
    public void start() {
        tcp.start();
    }

    /** The bound port. */
    public int port() {
        return tcp.port();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    /** The number of open connections. */
    public int connectionCount() {
        return tcp.connectionCount();
    }

    /** Stops accepting and closes every connection (idempotent; returns within about a second). */
    public void close() {
        tcp.close();
        ScheduledThreadPoolExecutor d = deadlines;
        if (d != null) {
            d.shutdownNow();
        }
    }

    private void session(Connection c) throws IOException {
        OutputStream out = c.output();
        while (true) {
            c.setReadTimeout(idleTimeout);
            String line;
            try {
                line = RequestReader.readRequestLine(c.input());
            } catch (SocketTimeoutException e) {
                return; // an idle keep-alive connection
            } catch (HttpException e) {
                writeError(out, e);
                return;
            }
            if (line == null) {
                return;
            }
            HttpRequest request;
            ScheduledFuture<?> deadline = deadlines().schedule(c::close, headerTimeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                request = reader.read(line, c.input(), out, c.remoteAddress(), c.isTls());
            } catch (HttpException e) {
                writeError(out, e);
                return;
            } finally {
                deadline.cancel(false);
            }
            HttpResponse response;
            boolean close = request.isHttp10() || "close".equalsIgnoreCase(request.header("connection"));
            try {
                response = handler.handle(request);
            } catch (HttpException e) {
                response = HttpResponse.text(e.status(), e.getMessage() + "\n");
                close |= e.closeConnection();
            } catch (SocketException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                Log.LOG.warn("{} {}: failed", c.id(), request, e);
                response = HttpResponse.text(500, "internal error\n");
            }
            if (response.eventStream() != null) {
                writeHead(out, response, -1, true, false);
                out.flush();
                c.setReadTimeout(Duration.ofDays(1));
                response.eventStream().run(out);
                return;
            }
            write(out, response, request.method().equals("HEAD"), close);
            if (close) {
                return;
            }
        }
    }

    private void write(OutputStream out, HttpResponse r, boolean head, boolean close) throws IOException {
        HttpResponse.Body body = r.body();
        long length = body.length();
        boolean chunked = length < 0;
        writeHead(out, r, length, close, chunked);
        if (!head) {
            if (chunked) {
                ChunkedOutputStream co = new ChunkedOutputStream(out);
                body.writeTo(co);
                co.finish();
            } else {
                body.writeTo(out);
            }
        }
        out.flush();
    }

    private static void writeHead(OutputStream out, HttpResponse r, long length, boolean close, boolean chunked)
            throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(r.status()).append(' ').append(HttpResponse.reason(r.status())).append("\r\n");
        for (String[] h : r.headers()) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        defaultHeader(sb, r, "X-Content-Type-Options", "nosniff");
        defaultHeader(sb, r, "Referrer-Policy", "no-referrer");
        defaultHeader(sb, r, "Cross-Origin-Resource-Policy", "same-origin");
        defaultHeader(sb, r, "X-Frame-Options", "DENY");
        defaultHeader(sb, r, "Cache-Control", "no-store");
        if (r.eventStream() == null) {
            if (chunked) {
                sb.append("Transfer-Encoding: chunked\r\n");
            } else {
                sb.append("Content-Length: ").append(length).append("\r\n");
            }
        }
        sb.append(close ? "Connection: close\r\n" : "Connection: keep-alive\r\n");
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void defaultHeader(StringBuilder sb, HttpResponse r, String name, String value) {
        if (!r.hasHeader(name)) {
            sb.append(name).append(": ").append(value).append("\r\n");
        }
    }

    private static void writeError(OutputStream out, HttpException e) throws IOException {
        HttpResponse r = HttpResponse.text(e.status(), e.getMessage() + "\n");
        writeHead(out, r, r.body().length(), true, false);
        r.body().writeTo(out);
        out.flush();
    }

    private ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor d = deadlines;
        if (d == null) {
            synchronized (this) {
                d = deadlines;
                if (d == null) {
                    d = new ScheduledThreadPoolExecutor(1, ServerExecutors.platformFactory("mailkit-http-deadline-"));
                    d.setRemoveOnCancelPolicy(true);
                    d.setKeepAliveTime(10, TimeUnit.SECONDS);
                    d.allowCoreThreadTimeOut(true);
                    deadlines = d;
                }
            }
        }
        return d;
    }

    @Override
    public String toString() {
        return "HttpService{" + tcp + "}";
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.web");
    }

    /** Chunked transfer coding for responses of unknown length. */
    private static final class ChunkedOutputStream extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[8192];
        private int n;

        ChunkedOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (n == buf.length) {
                flushChunk();
            }
            buf[n++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) {
                    flushChunk();
                }
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        private void flushChunk() throws IOException {
            if (n > 0) {
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(buf, 0, n);
                out.write('\r');
                out.write('\n');
                n = 0;
            }
        }

        void finish() throws IOException {
            flushChunk();
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }
}
