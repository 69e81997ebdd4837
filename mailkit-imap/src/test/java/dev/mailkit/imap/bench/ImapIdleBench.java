package dev.mailkit.imap.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of bench/imap-idle.sh: opens N connections (one selector thread, so the client needs no thread per
 * connection), logs each in, selects INBOX and starts IDLE; then appends messages over another connection, one at a
 * time, and measures how long each idling connection takes to hear {@code EXISTS}: the first delivery runs through
 * cold code (class loading, interpreter), the later ones show the steady state. Prints the latencies.
 */
public final class ImapIdleBench {
    private ImapIdleBench() {
    }

    private static final class Client {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(4096);
        final StringBuilder line = new StringBuilder();
        int step; // 0 greeting, 1 login sent, 2 select sent, 3 idle sent, 4 idling, 5 heard
        long heardAt;

        Client(SocketChannel ch) {
            this.ch = ch;
        }

        void send(String s) throws Exception {
            ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Selector sel = Selector.open();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.configureBlocking(false);
            Client c = new Client(ch);
            ch.register(sel, SelectionKey.OP_READ, c);
            clients.add(c);
        }
        long setupStart = System.nanoTime();
        int idling = 0;
        long appendAt = 0;
        int heard = 0;
        int round = 0;
        Appender appender = null;
        while (true) {
            if (idling == n && appendAt == 0) {
                System.out.println("idling " + n + " connections after " + (System.nanoTime() - setupStart) / 1_000_000
                        + " ms");
                System.out.flush();
                waitForGo();
                appendAt = System.nanoTime();
                appender = append(port);
            }
            if (heard == n) {
                appender.join();
                report(clients, appendAt, appender.answeredAt, round == 0 ? "first delivery (cold JVM)"
                        : "delivery " + (round + 1));
                if (++round == rounds) {
                    break;
                }
                for (Client c : clients) {
                    c.step = 4;
                    c.heardAt = 0;
                }
                heard = 0;
                appendAt = System.nanoTime();
                appender = append(port);
            }
            if (sel.select(30_000) == 0) {
                throw new IllegalStateException("no progress for 30 s: " + idling + " idling, " + heard + " heard");
            }
            for (SelectionKey k : sel.selectedKeys()) {
                Client c = (Client) k.attachment();
                c.in.clear();
                int r = c.ch.read(c.in);
                if (r < 0) {
                    throw new IllegalStateException("server closed a connection at step " + c.step);
                }
                for (int i = 0; i < r; i++) {
                    char ch = (char) c.in.get(i);
                    if (ch != '\n') {
                        c.line.append(ch);
                        continue;
                    }
                    String l = c.line.toString().trim();
                    c.line.setLength(0);
                    switch (c.step) {
                        case 0 -> {
                            c.send("a LOGIN rcpt@local.test secret\r\n");
                            c.step = 1;
                        }
                        case 1 -> {
                            if (l.startsWith("a OK")) {
                                c.send("b SELECT INBOX\r\n");
                                c.step = 2;
                            }
                        }
                        case 2 -> {
                            if (l.startsWith("b OK")) {
                                c.send("c IDLE\r\n");
                                c.step = 3;
                            }
                        }
                        case 3 -> {
                            if (l.startsWith("+")) {
                                c.step = 4;
                                idling++;
                            }
                        }
                        case 4 -> {
                            if (l.endsWith("EXISTS") && appendAt != 0) {
                                c.heardAt = System.nanoTime();
                                c.step = 5;
                                heard++;
                            }
                        }
                        default -> { }
                    }
                }
            }
            sel.selectedKeys().clear();
        }
        for (Client c : clients) {
            c.send("DONE\r\nz LOGOUT\r\n");
            c.ch.close();
        }
    }

    private static void report(List<Client> clients, long appendAt, long appendedAt, String what) {
        int n = clients.size();
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            lat[i] = clients.get(i).heardAt - appendAt;
        }
        Arrays.sort(lat);
        System.out.printf("%s to %d idling connections: median %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " first to last %.1f ms; APPEND answered after %.1f ms%n", what, n, lat[n / 2] / 1e6,
                lat[(int) (n * 0.99)] / 1e6, lat[n - 1] / 1e6, (lat[n - 1] - lat[0]) / 1e6,
                (appendedAt - appendAt) / 1e6);
        System.out.flush();
    }


    /** Waits for a line on stdin (the script measures the server's heap meanwhile). */
    private static void waitForGo() throws Exception {
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }

    /**
     * Appends one message from a separate connection, on another thread (the selector thread goes on timing the
     * idling connections meanwhile).
     */
    private static Appender append(int port) {
        Appender a = new Appender(port);
        a.start();
        return a;
    }

    /** One APPEND on its own connection and thread; {@link #answeredAt} is valid after {@link #join()}. */
    private static final class Appender extends Thread {
        final int port;
        long answeredAt;

        Appender(int port) {
            super("append");
            this.port = port;
        }

        @Override
        public void run() {
            try {
                answeredAt = appendOnce(port);
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        }
    }

    /** Appends a message; returns when (nanoTime) the APPEND was answered. */
    private static long appendOnce(int port) throws Exception {
        long answered = 0;
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            String msg = "Subject: pushed\r\n\r\nnew mail for everyone\r\n";
            out.write(("a LOGIN rcpt@local.test secret\r\nb APPEND INBOX {" + msg.length() + "+}\r\n" + msg
                    + "\r\nc LOGOUT\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String l;
            while ((l = in.readLine()) != null && !l.startsWith("c OK")) {
                if (l.startsWith("b NO") || l.startsWith("b BAD")) {
                    throw new IllegalStateException(l);
                }
                if (l.startsWith("b OK")) {
                    answered = System.nanoTime();
                }
            }
            return answered;
        }
    }
}
