package dev.mailkit.acme.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The TLS-ALPN-01 responder (RFC 8737): a TLS listener of its own that completes a handshake only when the client
 * offers the {@code acme-tls/1} protocol and names (SNI) a domain whose validation is pending, presenting that
 * domain's challenge certificate ({@link AlpnKeyManager}); any other handshake fails, and no application data is ever
 * read or written. A handshake gets 10 seconds. One accept thread and two handshake threads, all daemons.
 */
public final class TlsAlpnResponder implements ChallengeResponder {
    /** RFC 8737's ALPN protocol name. */
    public static final String ACME_TLS_1 = "acme-tls/1";
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private final ServerSocket socket;
    private final SSLContext context;
    private final ExecutorService handshakes;
    private final Thread acceptor;

    private TlsAlpnResponder(ServerSocket socket, SSLContext context) {
        this.socket = socket;
        this.context = context;
        AtomicInteger n = new AtomicInteger();
        this.handshakes = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mailkit-acme-tls-alpn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "mailkit-acme-tls-alpn-accept");
        acceptor.setDaemon(true);
    }

    /** Binds the address now and answers from {@code challenges}. */
    public static TlsAlpnResponder start(InetSocketAddress address, Challenges challenges) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new AlpnKeyManager(challenges)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS for the tls-alpn-01 responder: " + e.getMessage(), e);
        }
        ServerSocket ss = new ServerSocket();
        try {
            ss.bind(address, 50);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        TlsAlpnResponder r = new TlsAlpnResponder(ss, context);
        r.acceptor.start();
        return r;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                handshakes.execute(() -> answer(s));
            } catch (RejectedExecutionException e) {
                closeQuietly(s);
                return;
            }
        }
    }

    private void answer(Socket plain) {
        try (plain) {
            plain.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain,
                    plain.getInetAddress().getHostAddress(), plain.getPort(), true)) {
                tls.setUseClientMode(false);
                SSLParameters p = tls.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                tls.setSSLParameters(p);
                tls.setHandshakeApplicationProtocolSelector(TlsAlpnResponder::select);
                tls.startHandshake();
                Log.LOG.debug("tls-alpn-01: answered {} for {}", plain.getRemoteSocketAddress(),
                        AlpnKeyManager.serverName(tls.getSession()));
            }
        } catch (IOException e) {
            Log.LOG.debug("tls-alpn-01: handshake with {} failed: {}", plain.getRemoteSocketAddress(), e.toString());
        }
    }

    /** Only {@code acme-tls/1}; without it, {@code null} makes the handshake fail (no_application_protocol). */
    private static String select(SSLSocket socket, List<String> offered) {
        return offered.contains(ACME_TLS_1) ? ACME_TLS_1 : null;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        handshakes.shutdownNow();
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.acme");
    }
}
