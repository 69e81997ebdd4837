package dev.mailkit.core.server;

import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.tls.TlsConfig;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * One client connection of a {@link TcpServer}: buffered input and output, the client's address, and STARTTLS.
 * Used by one session thread at a time; {@link #close()} may be called from any thread.
 *
 * <p>A write that the client does not take (it never reads, so the socket's buffers stay full) blocks no longer than
 * the read timeout: the server's watchdog closes such a connection, as it would one whose client stopped sending.
 */
public final class Connection implements AutoCloseable {
    private final String id;
    private final TlsConfig tls;
    private volatile InetSocketAddress remote;
    private final InetSocketAddress local;
    /** The TCP socket itself: closing it ends a blocked write at once, where closing a TLS socket could wait. */
    private final Socket raw;
    private volatile Socket socket;
    private ProtocolInputStream input;
    private OutputStream output;
    private volatile TlsInfo tlsInfo;
    /** When the write under way started (System.nanoTime), or 0 when none is. */
    private volatile long writingSince;
    private volatile long readTimeoutMillis;

    Connection(String id, Socket socket, TlsConfig tls) throws IOException {
        this.id = id;
        this.tls = tls;
        this.raw = socket;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.readTimeoutMillis = socket.getSoTimeout();
        setSocket(socket);
    }

    private void setSocket(Socket s) throws IOException {
        this.socket = s;
        this.input = new ProtocolInputStream(s.getInputStream());
        this.output = new BufferedOutputStream(new WatchedOutput(s.getOutputStream()), 8192);
    }

    /** Records how long each write to the socket has been under way. */
    private final class WatchedOutput extends java.io.FilterOutputStream {
        WatchedOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writingSince = System.nanoTime() | 1; // never 0 while writing
            try {
                out.write(b, off, len);
            } finally {
                writingSince = 0;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    /**
     * Whether a write has been blocked longer than the read timeout at {@code now} (System.nanoTime): the client
     * takes nothing. Read by the server's watchdog, which then closes the connection.
     */
    boolean writeStalled(long now) {
        long since = writingSince;
        long limit = readTimeoutMillis;
        return since != 0 && limit > 0 && now - since > TimeUnit.MILLISECONDS.toNanos(limit);
    }

    /** A short id for logs, unique within the server. */
    public String id() {
        return id;
    }

    /** The client's address (the one a PROXY protocol header named, behind a load balancer). */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** The socket's own input, unbuffered: for the PROXY header, read before anything else. */
    java.io.InputStream rawInput() throws IOException {
        return socket.getInputStream();
    }

    /** The client a PROXY header named replaces the proxy's address. */
    void proxied(InetSocketAddress client) {
        this.remote = client;
    }

    /** The server's address for this connection. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The input, buffered; replaced by {@link #startTls()}. */
    public ProtocolInputStream input() {
        return input;
    }

    /** The output, buffered (call {@code flush()}); replaced by {@link #startTls()}. */
    public OutputStream output() {
        return output;
    }

    /** Whether TLS is in use (implicit or after STARTTLS). */
    public boolean isTls() {
        return tlsInfo != null;
    }

    /** The negotiated TLS, if any. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tlsInfo);
    }

    /** Whether the server has a TLS configuration, so STARTTLS can be offered. */
    public boolean canStartTls() {
        return tls != null && tlsInfo == null;
    }

    /** Sets the timeout for each read; a read that waits longer throws {@link java.net.SocketTimeoutException}. */
    public void setReadTimeout(Duration timeout) throws SocketException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        socket.setSoTimeout(millis);
        readTimeoutMillis = millis;
    }

    /**
     * Upgrades to TLS (STARTTLS, STLS). Everything the client sent before the handshake and that is still buffered is
     * thrown away, so that plaintext injected ahead of the handshake can never be taken as protected commands.
     *
     * @return how many buffered plaintext bytes were discarded
     * @throws IllegalStateException if TLS is not configured or already active
     * @throws IOException           if the handshake fails (the connection is then unusable)
     */
    public int startTls() throws IOException {
        if (!canStartTls()) {
            throw new IllegalStateException(tls == null ? "TLS is not configured" : "TLS is already active");
        }
        output.flush();
        int discarded = input.discardBuffered();
        SSLSocket s = tls.wrap(socket);
        s.setSoTimeout(socket.getSoTimeout());
        s.startHandshake();
        handshakeDone(s);
        return discarded;
    }

    void implicitTls() throws IOException {
        SSLSocket s = tls.wrap(socket);
        s.setSoTimeout(socket.getSoTimeout());
        s.startHandshake();
        handshakeDone(s);
    }

    private void handshakeDone(SSLSocket s) throws IOException {
        SSLSession session = s.getSession();
        setSocket(s);
        tlsInfo = new TlsInfo(session.getProtocol(), session.getCipherSuite());
    }

    /**
     * Closes the connection; unblocks a thread reading from it or writing to it. Idempotent. The TCP socket is closed
     * (a TLS socket's own close would first wait for a writer blocked on a client that reads nothing).
     */
    @Override
    public void close() {
        try {
            raw.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Whether the connection is closed. */
    public boolean isClosed() {
        return raw.isClosed() || socket.isClosed();
    }

    @Override
    public String toString() {
        return "Connection{" + id + " " + remote + (tlsInfo == null ? "" : " " + tlsInfo) + "}";
    }
}
