package dev.mailkit.scan;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile scanner on a loopback port: each connection is served by a script (answer garbage, never answer, die in
 * the middle...). It counts connections, and after the script it waits until the client closes its side, so a test
 * can check that mailkit let go of every connection (no thread of mailkit's is left waiting on it).
 */
final class FakeDaemon implements AutoCloseable {
    /** What to do with one connection. */
    interface Script {
        void serve(Socket s, InputStream in) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakeDaemon(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(script, s), "fake-daemon-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "fake-daemon-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Script script, Socket s) {
        try {
            InputStream in = s.getInputStream();
            script.serve(s, in);
            s.shutdownOutput();
            drain(in);
        } catch (Exception e) {
            // the client went away: that is the point
        } finally {
            released.incrementAndGet();
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /** Reads until the client closes its side. */
    static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /** Reads an HTTP request (header and Content-Length body) and returns its header. */
    static String readHttpRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        int b;
        while (state < 4 && (b = in.read()) != -1) {
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : 0;
        }
        String h = head.toString(StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
        }
        return h;
    }

    /** Reads one milter packet: the command and its data. */
    static byte[] readMilterPacket(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int len = d.readInt();
        return d.readNBytes(len);
    }

    /** A milter packet. */
    static byte[] milterPacket(char cmd, byte[] data) {
        byte[] out = new byte[5 + data.length];
        int len = data.length + 1;
        out[0] = (byte) (len >>> 24);
        out[1] = (byte) (len >>> 16);
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) len;
        out[4] = (byte) cmd;
        System.arraycopy(data, 0, out, 5, data.length);
        return out;
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    String url() {
        return "http://" + address();
    }

    int connections() {
        return connections.get();
    }

    /** Waits until every connection so far has been closed by the client (mailkit). */
    boolean awaitAllReleased(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        CountDownLatch never = new CountDownLatch(1);
        while (released.get() < connections.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            never.await(10, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
