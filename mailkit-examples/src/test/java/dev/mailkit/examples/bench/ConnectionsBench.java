package dev.mailkit.examples.bench;

import dev.mailkit.examples.TestClients;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of {@code bench/connections.sh}: thousands of SMTP, IMAP and POP3 connections to the runnable server
 * held at once (one virtual thread each, so it needs JDK 21+), with traffic on some and the abuse the connection
 * limits exist for.
 *
 * <pre>
 * ConnectionsBench SMTP_PORT IMAP_PORT POP3_PORT SMTP_N IMAP_N POP3_N ADDRESSES HOLD_SECONDS MAX_CONNECTIONS PER_ADDRESS
 * </pre>
 *
 * <ol>
 *   <li>Ramp: SMTP connections read the greeting and say EHLO (then NOOP every 60 s while idle, within the server's
 *       5-minute idle timeout; POP3 likewise); IMAP connections STARTTLS, log in as
 *       {@code u0..u9@local.test}, select INBOX and IDLE; POP3 connections STLS and log in as {@code pN@local.test}
 *       (one maildrop each). They come from ADDRESSES loopback addresses ({@code 127.0.0.2} on), so the per-address
 *       limit is not what stops them.</li>
 *   <li>Hold for HOLD_SECONDS: twice a second an SMTP connection sends a message to {@code u0@local.test} (MAIL to
 *       final 250 is measured, and from that 250 until each IMAP IDLE session of u0 hears {@code EXISTS}); every
 *       second ten POP3 sessions ask STAT. Meanwhile ten slow clients send {@code EHLO slow.test} one byte every three
 *       seconds, and ten IMAP sessions ask for every message again and again without ever reading.</li>
 *   <li>Floods: PER_ADDRESS + 50 connections from one address: the last 50 must get
 *       {@code 421 4.7.0 Too many connections from your address}; then connections from 50 more addresses until the
 *       SMTP server's total (MAX_CONNECTIONS) is reached and 100 more: those get {@code 421 4.7.0 Too many
 *       connections}. A normal transaction during each flood must still succeed.</li>
 *   <li>Every held connection must still answer (SMTP NOOP, IMAP DONE then NOOP, POP3 NOOP), then all say goodbye.</li>
 * </ol>
 * It prints a {@code phase} line per phase (the script samples the server's heap, threads and descriptors then), the
 * figures, and {@code result ok} or {@code result FAILED} with the reasons.
 */
public final class ConnectionsBench {
    /** Idle held SMTP and POP3 connections say NOOP this often, as a real client keeping a connection would. */
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Long> smtpLatencies = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> existsDelays = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> pop3Latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong lastDelivery = new AtomicLong();
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger answeredAfterHold = new AtomicInteger();
    private final CountDownLatch goodbye = new CountDownLatch(1);
    private final SSLContext tls;
    private final ExecutorService threads;

    private ConnectionsBench() throws Exception {
        tls = TestClients.trustAll(); // the server's generated certificate: this measures load, not trust
        threads = (ExecutorService) java.util.concurrent.Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    /** One connection, blocking. */
    final class Conn implements AutoCloseable {
        final Socket raw;
        Socket socket;
        InputStream in;
        OutputStream out;

        Conn(int port, InetAddress from) throws IOException {
            socket = new Socket();
            raw = socket;
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String l = b.toString(StandardCharsets.UTF_8);
                    return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                }
                b.write(c);
            }
            throw new IOException("closed by the server" + (b.size() > 0 ? " after '" + b + "'" : ""));
        }

        /** Reads lines until one starts with {@code prefix}; a refusal on the way is an error. */
        String expect(String prefix) throws IOException {
            while (true) {
                String l = line();
                if (l.startsWith(prefix)) {
                    return l;
                }
                if (l.startsWith("-ERR") || l.matches("[a-z] (NO|BAD).*") || l.startsWith("* BYE")
                        || (l.length() > 3 && (l.charAt(0) == '4' || l.charAt(0) == '5') && l.charAt(3) == ' ')) {
                    throw new IOException("expected '" + prefix + "', got '" + l + "'");
                }
            }
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void startTls() throws IOException {
            SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(socket, "localhost",
                    socket.getPort(), true);
            s.setUseClientMode(true);
            s.startHandshake();
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        /** Closes the TCP connection itself (an SSLSocket's close would wait for a writer blocked on a full buffer). */
        @Override
        public void close() {
            try {
                raw.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
    }

    void fail(String who, Exception e) {
        counts.computeIfAbsent("failed " + who, k -> new AtomicInteger()).incrementAndGet();
        if (failures.size() < 30) {
            failures.add(who + ": " + e.getMessage());
        }
    }

    static InetAddress source(int i) throws IOException {
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (i / 250), (byte) (2 + i % 250)});
    }

    public static void main(String[] args) throws Exception {
        new ConnectionsBench().run(args);
        System.exit(0);
    }

    /** A held SMTP connection: after EHLO it runs the transactions it is given, then NOOP and QUIT. */
    void smtp(int port, InetAddress from, int i, BlockingQueue<Runnable> work, CountDownLatch rampGate) {
        try (Conn c = new Conn(port, from)) {
            c.expect("220 ");
            c.send("EHLO c" + i + ".test\r\n");
            c.expect("250 ");
            ready.incrementAndGet();
            rampGate.countDown();
            hold(c, work, "250 ", task -> {
                if (task instanceof Transaction t) {
                    long start = System.nanoTime();
                    c.send("MAIL FROM:<load@remote.test>\r\n");
                    c.expect("250 ");
                    c.send("RCPT TO:<" + t.to + ">\r\n");
                    c.expect("250 ");
                    c.send("DATA\r\n");
                    c.expect("354 ");
                    c.send("Subject: held connections\r\n\r\nload\r\n.\r\n");
                    c.expect("250 ");
                    smtpLatencies.add((System.nanoTime() - start) / 1000);
                    lastDelivery.set(System.nanoTime());
                    t.done.countDown();
                }
            });
            c.send("QUIT\r\n");
            c.expect("221 ");
        } catch (Exception e) {
            rampGate.countDown();
            fail("smtp", e);
        }
    }

    /** What a held connection does with one piece of work. */
    interface Work {
        void run(Runnable task) throws Exception;
    }

    /**
     * Holds a connection until {@code goodbye}: each task from the queue is done as it comes, and a connection idle
     * for {@code KEEPALIVE_NANOS} sends a NOOP (answered {@code ok}), well inside the servers' idle timeouts (SMTP
     * 5 minutes, POP3 10); then one more NOOP, which must still be answered (counted in {@code answeredAfterHold}).
     */
    void hold(Conn c, BlockingQueue<Runnable> work, String ok, Work each) throws Exception {
        long last = System.nanoTime();
        while (true) {
            Runnable task = work.poll(1, TimeUnit.SECONDS);
            if (task == null) {
                if (goodbye.getCount() == 0) {
                    break;
                }
                if (System.nanoTime() - last > KEEPALIVE_NANOS) {
                    c.send("NOOP\r\n");
                    c.expect(ok);
                    last = System.nanoTime();
                }
                continue;
            }
            last = System.nanoTime();
            each.run(task);
        }
        c.send("NOOP\r\n");
        c.expect(ok);
        answeredAfterHold.incrementAndGet();
    }

    record Transaction(String to, CountDownLatch done) implements Runnable {
        public void run() {
        }
    }

    /** A held IMAP connection: STARTTLS, LOGIN, SELECT, IDLE; hears EXISTS; then DONE, NOOP, LOGOUT. */
    void imap(int port, InetAddress from, int user, CountDownLatch rampGate) {
        try (Conn c = new Conn(port, from)) {
            c.expect("* OK");
            c.send("a STARTTLS\r\n");
            c.expect("a OK");
            c.startTls();
            c.send("b LOGIN u" + user + "@local.test secret\r\n");
            c.expect("b OK");
            c.send("c SELECT INBOX\r\n");
            c.expect("c OK");
            c.send("d IDLE\r\n");
            c.expect("+ ");
            ready.incrementAndGet();
            rampGate.countDown();
            Conn conn = c;
            java.util.concurrent.Future<?> waker = threads.submit(() -> {
                try {
                    goodbye.await();
                    conn.send("DONE\r\n");
                } catch (Exception e) {
                    // the reader below reports
                }
            });
            while (true) {
                String l = c.line();
                if (l.startsWith("* ") && l.endsWith(" EXISTS")) {
                    long d = lastDelivery.get();
                    if (d > 0) {
                        existsDelays.add((System.nanoTime() - d) / 1000);
                    }
                } else if (l.startsWith("d OK")) {
                    break;
                } else if (l.startsWith("* BYE") || l.startsWith("d NO") || l.startsWith("d BAD")) {
                    throw new IOException("during IDLE: " + l);
                }
            }
            waker.get();
            c.send("e NOOP\r\n");
            c.expect("e OK");
            answeredAfterHold.incrementAndGet();
            c.send("f LOGOUT\r\n");
            String bye = c.line();
            if (!bye.startsWith("* BYE")) {
                throw new IOException("expected '* BYE' after LOGOUT, got '" + bye + "'");
            }
            c.expect("f OK");
        } catch (Exception e) {
            rampGate.countDown();
            fail("imap", e);
        }
    }

    /** A held POP3 connection: STLS, USER/PASS, STAT when asked, then NOOP and QUIT. */
    void pop3(int port, InetAddress from, int user, BlockingQueue<Runnable> work, CountDownLatch rampGate) {
        try (Conn c = new Conn(port, from)) {
            c.expect("+OK");
            c.send("STLS\r\n");
            c.expect("+OK");
            c.startTls();
            c.send("USER p" + user + "@local.test\r\n");
            c.expect("+OK");
            c.send("PASS secret\r\n");
            c.expect("+OK");
            ready.incrementAndGet();
            rampGate.countDown();
            hold(c, work, "+OK", task -> {
                long start = System.nanoTime();
                c.send("STAT\r\n");
                c.expect("+OK");
                pop3Latencies.add((System.nanoTime() - start) / 1000);
            });
            c.send("QUIT\r\n");
            c.expect("+OK");
        } catch (Exception e) {
            rampGate.countDown();
            fail("pop3", e);
        }
    }

    void run(String[] a) throws Exception {
        int smtpPort = Integer.parseInt(a[0]);
        int imapPort = Integer.parseInt(a[1]);
        int pop3Port = Integer.parseInt(a[2]);
        int smtpN = Integer.parseInt(a[3]);
        int imapN = Integer.parseInt(a[4]);
        int pop3N = Integer.parseInt(a[5]);
        int addresses = Integer.parseInt(a[6]);
        int hold = Integer.parseInt(a[7]);
        int maxConnections = Integer.parseInt(a[8]);
        int perAddress = Integer.parseInt(a[9]);
        int total = smtpN + imapN + pop3N;

        // 1. ramp: interleaved, at most 200 connections being set up at once
        long t0 = System.nanoTime();
        CountDownLatch rampGate = new CountDownLatch(total);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(200);
        List<BlockingQueue<Runnable>> smtpWork = new ArrayList<>();
        List<BlockingQueue<Runnable>> pop3Work = new ArrayList<>();
        int si = 0;
        int ii = 0;
        int pi = 0;
        List<java.util.concurrent.Future<?>> all = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            inFlight.acquire();
            int k = i % 10;
            CountDownLatch gate = new CountDownLatch(1);
            if ((k < 2 && ii < imapN) || (si >= smtpN && pi >= pop3N)) {
                int user = ii % 10;
                InetAddress from = source(ii++ % addresses);
                all.add(threads.submit(() -> imap(imapPort, from, user, gate)));
            } else if ((k == 2 && pi < pop3N) || si >= smtpN) {
                BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
                pop3Work.add(q);
                int user = pi;
                InetAddress from = source(pi++ % addresses);
                all.add(threads.submit(() -> pop3(pop3Port, from, user, q, gate)));
            } else {
                BlockingQueue<Runnable> q = new LinkedBlockingQueue<>();
                smtpWork.add(q);
                int n = si;
                InetAddress from = source(si++ % addresses);
                all.add(threads.submit(() -> smtp(smtpPort, from, n, q, gate)));
            }
            threads.submit(() -> {
                try {
                    gate.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.release();
                    rampGate.countDown();
                }
            });
        }
        boolean ramped = rampGate.await(10, TimeUnit.MINUTES);
        long rampMs = (System.nanoTime() - t0) / 1_000_000;
        int held = ready.get();
        System.out.printf("ramp: %d of %d connections ready in %.1f s (SMTP %d, IMAP IDLE %d, POP3 %d)%n", held, total,
                rampMs / 1000.0, smtpWork.size(), imapN, pop3Work.size());
        if (!ramped) {
            failures.add("ramp did not finish in 10 minutes");
        }
        System.out.println("phase held " + held);
        System.out.flush();

        // 2. hold: traffic, slow clients, clients that never read
        AtomicInteger slowAnswered = new AtomicInteger();
        List<java.util.concurrent.Future<?>> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            InetAddress from = source(addresses + 1);
            slow.add(threads.submit(() -> {
                try (Conn c = new Conn(smtpPort, from)) {
                    c.expect("220 ");
                    for (byte b : "EHLO slow.test\r\n".getBytes(StandardCharsets.US_ASCII)) {
                        c.out.write(b);
                        c.out.flush();
                        Thread.sleep(3000); // the point of a slow client
                    }
                    c.expect("250 ");
                    slowAnswered.incrementAndGet();
                    c.send("QUIT\r\n");
                } catch (Exception e) {
                    fail("slow", e);
                }
                return null;
            }));
        }
        List<Conn> deaf = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger deafBlocked = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            InetAddress from = source(addresses + 2);
            threads.submit(() -> {
                try {
                    Conn c = new Conn(imapPort, from);
                    deaf.add(c);
                    c.expect("* OK");
                    c.send("a STARTTLS\r\n");
                    c.expect("a OK");
                    c.startTls();
                    c.send("b LOGIN u9@local.test secret\r\n");
                    c.expect("b OK");
                    c.send("c SELECT INBOX\r\n");
                    c.expect("c OK");
                    deafBlocked.incrementAndGet();
                    for (int n = 0; ; n++) {
                        c.send("f" + n + " FETCH 1:* BODY[]\r\n"); // never read: blocks once the buffers are full
                    }
                } catch (Exception e) {
                    // closed by the server or by us at the end: counted below
                }
                return null;
            });
        }
        long holdEnd = System.nanoTime() + hold * 1_000_000_000L;
        int next = 0;
        long lastPop = 0;
        while (System.nanoTime() < holdEnd) {
            if (!smtpWork.isEmpty()) {
                CountDownLatch done = new CountDownLatch(1);
                smtpWork.get(next++ % smtpWork.size()).add(new Transaction("u0@local.test", done));
            }
            if (!pop3Work.isEmpty() && System.nanoTime() - lastPop > 1_000_000_000L) {
                lastPop = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    pop3Work.get((next * 10 + i) % pop3Work.size()).add(() -> { });
                }
            }
            Thread.sleep(500);
        }
        for (java.util.concurrent.Future<?> f : slow) {
            try {
                f.get(2, TimeUnit.MINUTES);
            } catch (Exception e) {
                fail("slow", e);
            }
        }
        System.out.printf("slow clients (one byte every 3 s): %d of 10 had their EHLO answered%n", slowAnswered.get());
        System.out.printf("clients that never read: %d logged in and flooded FETCH commands; the server kept "
                + "serving the others%n", deafBlocked.get());
        for (Conn c : new ArrayList<>(deaf)) {
            c.close();
        }
        System.out.println("phase traffic-done");
        System.out.flush();

        // 3. floods
        flood(smtpPort, "flood-one", List.of(source(248)), perAddress + 50, smtpWork,
                "421 4.7.0 Too many connections from your address");
        int room = maxConnections - smtpWork.size();
        int floodN = Math.max(0, room) + 100;
        List<InetAddress> many = new ArrayList<>(); // enough addresses that none reaches the per-address limit
        for (int i = 0; i < Math.max(50, floodN / (perAddress - 1) + 1); i++) {
            many.add(InetAddress.getByAddress(new byte[] {127, 1, (byte) (i / 250), (byte) (1 + i % 250)}));
        }
        flood(smtpPort, "flood-many", many, floodN, smtpWork, "421 4.7.0 Too many connections, try again later");
        System.out.println("phase floods-done");
        System.out.flush();

        // 4. every held connection still answers, then goodbye
        goodbye.countDown();
        for (java.util.concurrent.Future<?> f : all) {
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                fail("goodbye", e);
            }
        }
        System.out.printf("after the hold: %d of %d held connections still answered, then said goodbye%n",
                answeredAfterHold.get(), held);
        System.out.println("phase closed");
        System.out.printf("SMTP transactions during the hold: %d, MAIL to final 250: %s%n", smtpLatencies.size(),
                stats(smtpLatencies));
        System.out.printf("IMAP IDLE: '* n EXISTS' heard %d times, final 250 to EXISTS: %s%n", existsDelays.size(),
                stats(existsDelays));
        System.out.printf("POP3 STAT during the hold: %s%n", stats(pop3Latencies));
        Map<String, Integer> c = new TreeMap<>();
        counts.forEach((k, v) -> c.put(k, v.get()));
        System.out.println("failures by kind " + c);
        if (held < total) {
            failures.add((total - held) + " connections never became ready");
        }
        if (answeredAfterHold.get() < held) {
            failures.add((held - answeredAfterHold.get()) + " held connections did not answer after the hold");
        }
        if (smtpLatencies.isEmpty() || existsDelays.isEmpty()) {
            failures.add("no traffic measured");
        }
        if (slowAnswered.get() < 10) {
            failures.add("slow clients were not answered");
        }
        System.out.println(failures.isEmpty() ? "result ok" : "result FAILED " + failures);
    }

    /** n connections from the addresses: greeted up to the limits, refused with {@code refusal} past them. */
    void flood(int port, String role, List<InetAddress> from, int n, List<BlockingQueue<Runnable>> smtpWork,
               String refusal) throws Exception {
        List<Conn> conns = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger greeted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        // open them in order, so that those past the limit are the last ones
        for (int i = 0; i < n; i++) {
            InetAddress source = from.get(i % from.size());
            Conn c;
            try {
                c = new Conn(port, source);
            } catch (IOException e) {
                other.add(e.toString());
                done.countDown();
                continue;
            }
            conns.add(c);
            threads.submit(() -> {
                try {
                    String l = c.line();
                    if (l.startsWith("220 ")) {
                        greeted.incrementAndGet();
                    } else if (l.startsWith(refusal)) {
                        refused.incrementAndGet();
                    } else {
                        other.add(l);
                    }
                } catch (IOException e) {
                    other.add(e.getMessage());
                } finally {
                    done.countDown();
                }
            });
        }
        long start = System.nanoTime();
        CountDownLatch probe = new CountDownLatch(1);
        smtpWork.get(0).add(new Transaction("u1@local.test", probe));
        boolean probed = probe.await(2, TimeUnit.MINUTES);
        double probeMs = (System.nanoTime() - start) / 1e6;
        done.await(2, TimeUnit.MINUTES);
        System.out.printf("%s: %d connections from %d address(es): %d greeted, %d refused with '%s', %d other; a "
                        + "normal transaction meanwhile took %.1f ms%n", role, n, from.size(), greeted.get(), refused.get(),
                refusal, other.size(), probeMs);
        if (!other.isEmpty()) {
            failures.add(role + ": " + other.size() + " got neither a greeting nor the refusal: "
                    + other.subList(0, Math.min(3, other.size())));
        }
        if (refused.get() == 0) {
            failures.add(role + ": nothing was refused");
        }
        if (!probed) {
            failures.add(role + ": the normal transaction did not complete");
        }
        for (Conn c : conns) {
            c.close();
        }
    }

    static String stats(List<Long> micros) {
        long[] v;
        synchronized (micros) {
            v = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        if (v.length == 0) {
            return "none";
        }
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", v[v.length / 2] / 1000.0,
                v[Math.min(v.length - 1, (int) (v.length * 0.99))] / 1000.0, v[v.length - 1] / 1000.0, v.length);
    }
}
