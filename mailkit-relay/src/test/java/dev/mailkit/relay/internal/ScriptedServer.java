package dev.mailkit.relay.internal;

import dev.mailkit.core.tls.TlsConfig;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * An SMTP server on a loopback address for the relay client's tests: every connection runs the test's script on a
 * thread of its own, and the script talks raw bytes through a {@link Conversation}, which keeps what the client sent.
 * Bound to port 0 (or to a port another server already has, on another loopback address); tests wait for
 * conversations to end, they never sleep. A script that fails makes {@link #awaitFinished} fail.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does on one connection. */
    interface Script {
        void run(Conversation c) throws Exception;
    }

    /** One connection, from the server's side. */
    static final class Conversation {
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final List<String> received = new ArrayList<>();

        Conversation(Socket s) throws IOException {
            s.setSoTimeout(20_000); // a test whose client never answers fails instead of hanging
            use(s);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        /** Sends bytes exactly as given (CRLFs included). */
        void send(String raw) throws IOException {
            out.write(raw.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The next line the client sent, without its line end. */
        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                b.write(c);
            }
            if (c == -1) {
                throw new EOFException("the client closed the connection");
            }
            String line = b.toString(StandardCharsets.UTF_8);
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            synchronized (received) {
                received.add(line);
            }
            return line;
        }

        /** Reads a command line and checks that it starts with {@code prefix}; returns it. */
        String expect(String prefix) throws IOException {
            String l = readLine();
            if (!l.startsWith(prefix)) {
                throw new AssertionError("expected a line starting with '" + prefix + "', got '" + l + "'");
            }
            return l;
        }

        /** The content after DATA up to and including the end-of-data line, exactly as sent. */
        byte[] readData() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            long last = 0; // the last five bytes read, one per byte of the long
            long n = 0;
            int c;
            while ((c = in.read()) != -1) {
                b.write(c);
                n++;
                last = (last << 8 | c) & 0xFF_FFFF_FFFFL;
                if (n == 3 && (last & 0xFF_FFFF) == 0x2E0D0AL || n >= 5 && last == 0x0D0A2E0D0AL) {
                    break; // ".CRLF" alone, or CRLF "." CRLF
                }
            }
            if (c == -1) {
                throw new EOFException("the client closed the connection during DATA");
            }
            synchronized (received) {
                received.add("<data>");
            }
            return b.toByteArray();
        }

        /** The greeting, then EHLO answered with the given extensions. */
        void greet(String... extensions) throws IOException {
            send("220 scripted.test ESMTP\r\n");
            expect("EHLO ");
            ehloReply(extensions);
        }

        /** A 250 reply to EHLO that offers the given extensions. */
        void ehloReply(String... extensions) throws IOException {
            StringBuilder sb = new StringBuilder();
            sb.append(extensions.length == 0 ? "250 " : "250-").append("scripted.test\r\n");
            for (int i = 0; i < extensions.length; i++) {
                sb.append(i == extensions.length - 1 ? "250 " : "250-").append(extensions[i]).append("\r\n");
            }
            send(sb.toString());
        }

        /** Answers STARTTLS with 220 and shakes hands as the server. */
        void startTls(TlsConfig tls) throws IOException {
            expect("STARTTLS");
            send("220 2.0.0 ready to start TLS\r\n");
            SSLSocket s = tls.wrap(socket);
            s.startHandshake();
            use(s);
        }

        /** Answers one message: MAIL, RCPT (250 each), DATA, content, 250. Returns the content. */
        byte[] acceptMessage(int recipients) throws IOException {
            expect("MAIL FROM:");
            send("250 2.1.0 ok\r\n");
            for (int i = 0; i < recipients; i++) {
                expect("RCPT TO:");
                send("250 2.1.5 ok\r\n");
            }
            expect("DATA");
            send("354 go ahead\r\n");
            byte[] data = readData();
            send("250 2.0.0 queued as 1\r\n");
            return data;
        }

        /** Waits until the client closes the connection, answering QUIT on the way. */
        void awaitClose() throws IOException {
            try {
                while (true) {
                    if (readLine().equals("QUIT")) {
                        send("221 2.0.0 bye\r\n");
                    }
                }
            } catch (IOException e) {
                // closed (or reset, or a TLS alert on the way out)
            }
        }

        /** The lines the client sent so far ({@code <data>} for a message's content). */
        List<String> received() {
            synchronized (received) {
                return new ArrayList<>(received);
            }
        }

        /** The address the client connected to. */
        InetAddress localAddress() {
            return socket.getLocalAddress();
        }
    }

    private final ServerSocket server;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Conversation> conversations = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private int finished;

    /** A server on 127.0.0.1, port 0. */
    ScriptedServer(Script script) throws IOException {
        this(InetAddress.getLoopbackAddress(), 0, script);
    }

    ScriptedServer(InetAddress bind, int port, Script script) throws IOException {
        server = new ServerSocket(port, 50, bind);
        Thread t = new Thread(() -> acceptLoop(script), "scripted-smtp-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /**
     * One server per address, all on the same port (as MX hosts all listen on port 25): the first binds port 0, the
     * others that port; tried again with a new port if another program has it on one of the addresses.
     */
    static List<ScriptedServer> onOnePort(Script script, InetAddress... addresses) throws IOException {
        for (int attempt = 0; ; attempt++) {
            List<ScriptedServer> out = new ArrayList<>();
            try {
                for (InetAddress a : addresses) {
                    out.add(new ScriptedServer(a, out.isEmpty() ? 0 : out.get(0).port(), script));
                }
                return out;
            } catch (IOException e) {
                for (ScriptedServer s : out) {
                    s.close();
                }
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    static InetAddress loopback(int last) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
    }

    private void acceptLoop(Script script) {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread h = new Thread(() -> converse(s, script), "scripted-smtp-conversation");
            h.setDaemon(true);
            h.start();
        }
    }

    private void converse(Socket s, Script script) {
        Throwable failure = null;
        try (s) {
            Conversation c = new Conversation(s);
            lock.lock();
            try {
                conversations.add(c);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            script.run(c);
        } catch (Throwable e) {
            failure = e;
        }
        lock.lock();
        try {
            if (failure != null) {
                failures.add(failure);
            }
            finished++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** The connections so far. */
    List<Conversation> conversations() {
        lock.lock();
        try {
            return new ArrayList<>(conversations);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until {@code n} conversations have ended and returns them; fails if a script failed or they do not end
     * within 20 seconds.
     */
    List<Conversation> awaitFinished(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        lock.lock();
        try {
            while (finished < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(finished + " of " + n + " conversations ended within 20 s");
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("the server's script failed: " + failures.get(0));
                e.initCause(failures.get(0));
                throw e;
            }
            return new ArrayList<>(conversations);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
