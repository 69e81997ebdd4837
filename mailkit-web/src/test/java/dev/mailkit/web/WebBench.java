package dev.mailkit.web;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The web inbox's speed with MESSAGES messages in one mailbox (default 10 000): how long the first request takes
 * (the index is built), then list pages and searches under 10 concurrent keep-alive clients (p50/p99 and requests per
 * second), then the delay from the SMTP server's 250 to the message's appearance in an open headless Chromium.
 * Run by {@code bench/web-bench.sh}; numbers in docs/benchmarks.md.
 */
public final class WebBench {
    private static final String[] NAMES = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
            "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter"};
    private static final String[] WORDS = {"invoice", "order", "shipping", "meeting", "report", "quarterly",
            "password", "reset", "welcome", "newsletter", "receipt", "travel", "booking", "review", "budget",
            "contract", "draft", "reminder", "update", "security", "alert", "delivery", "weekly", "summary"};
    private static final String[] QUERIES = {"from:alice", "subject:invoice", "quarterly", "is:unread has:attachment",
            "\"budget review\"", "-from:bob after:2024-01-01 subject:report", "to:team@example.test travel",
            "larger:3k smaller:100k", "kangaroo"};

    private WebBench() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int clients = 10;
        System.out.printf("web-bench: %d messages, %d clients x %d requests, JDK %s, load average %.1f%n", messages,
                clients, perClient, Runtime.version(), ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
        try (WebFixture f = WebFixture.open(b -> b.authFailurePenalty(AuthFailurePenalty.none()))) {
            long t0 = System.nanoTime();
            fill(f.store, messages);
            System.out.printf("filled the store in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            t0 = System.nanoTime();
            f.http.get("/api/v1/messages").ok();
            System.out.printf("first request (builds the index of %d messages): %d ms%n", messages,
                    (System.nanoTime() - t0) / 1_000_000);
            int port = f.web.port();
            Random r = new Random(1);
            load("warm-up", port, clients, 500, i -> listPath(r, messages));
            load("list page, 1 client", port, 1, perClient, i -> listPath(r, messages));
            for (String q : QUERIES) {
                load("search " + q + ", 1 client", port, 1, 100, i -> "/api/v1/search?query="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8));
            }
            load("list page (limit 50, random start)", port, clients, perClient, i -> listPath(r, messages));
            load("search (8 Mailpit queries, first page)", port, clients, perClient,
                    i -> "/api/v1/search?query=" + URLEncoder.encode(QUERIES[i % QUERIES.length],
                            StandardCharsets.UTF_8));
            load("message summary (random ID)", port, clients, perClient / 2, i -> "/api/v1/message/latest");
            browserDelay(f, 20);
        }
    }

    private static String listPath(Random r, int messages) {
        int start;
        synchronized (r) {
            start = r.nextInt(Math.max(1, messages / 50)) * 50;
        }
        return "/api/v1/messages?start=" + start + "&limit=50";
    }

    static void fill(MemoryMailStore store, int n) {
        Random r = new Random(42);
        try (Mailbox inbox = store.account(AccountId.parse(WebFixture.CAPTURE)).open(MailboxName.INBOX)) {
            for (int i = 0; i < n; i++) {
                String from = NAMES[r.nextInt(NAMES.length)];
                String subject = WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " #" + i;
                StringBuilder body = new StringBuilder();
                int words = 150 + r.nextInt(400);
                for (int w = 0; w < words; w++) {
                    body.append(WORDS[r.nextInt(WORDS.length)]).append(w % 12 == 11 ? "\r\n" : " ");
                }
                String msg;
                if (i % 5 == 0) {
                    byte[] att = new byte[2000 + r.nextInt(4000)];
                    r.nextBytes(att);
                    msg = "From: " + cap(from) + " <" + from + "@example.org>\r\nTo: team@example.test\r\nSubject: "
                            + subject + "\r\nMessage-ID: <" + i + "@example.org>\r\nMIME-Version: 1.0\r\n"
                            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; "
                            + "charset=utf-8\r\n\r\n" + body + "\r\n--b\r\nContent-Type: application/pdf; name=f"
                            + i + ".pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                            + Base64.getMimeEncoder().encodeToString(att) + "\r\n--b--\r\n";
                } else {
                    msg = "From: " + cap(from) + " <" + from + "@example.org>\r\nTo: team@example.test\r\nSubject: "
                            + subject + "\r\nMessage-ID: <" + i + "@example.org>\r\nContent-Type: text/plain; "
                            + "charset=utf-8\r\n\r\n" + body + "\r\n";
                }
                Flags flags = r.nextInt(3) == 0 ? Flags.NONE : Flags.of(SystemFlag.SEEN);
                inbox.append(MessageSource.ofText(msg), flags, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i * 600L));
            }
        }
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    interface Paths {
        String path(int i);
    }

    /** Runs {@code clients} keep-alive connections, each sending {@code n} GETs one after another. */
    static void load(String what, int port, int clients, int n, Paths paths) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            fs.add(ex.submit(() -> {
                long[] lat = new long[n];
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
                    for (int i = 0; i < n; i++) {
                        byte[] req = ("GET " + paths.path(client * n + i) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        long a = System.nanoTime();
                        out.write(req);
                        out.flush();
                        readResponse(in);
                        lat[i] = System.nanoTime() - a;
                    }
                }
                return lat;
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> fu : fs) {
            long[] l = fu.get();
            int o = all.length;
            all = Arrays.copyOf(all, o + l.length);
            System.arraycopy(l, 0, all, o, l.length);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ex.shutdown();
        Arrays.sort(all);
        System.out.printf("%-52s p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %6.0f requests/s%n", what,
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6,
                all.length / secs);
    }

    private static void readResponse(InputStream in) throws IOException {
        int length = -1;
        String status = null;
        while (true) {
            String line = line(in);
            if (status == null) {
                status = line;
                if (!line.startsWith("HTTP/1.1 200")) {
                    throw new IOException("unexpected " + line);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** From the SMTP server's 250 to the message in the open inbox's list, n times, one after another. */
    static void browserDelay(WebFixture f, int n) {
        try (Browser b = new Browser()) {
            b.go(f.web.url());
            b.await("document.getElementById('live').classList.contains('on')");
            b.js("window.__seen = {}; new MutationObserver(() => { for (const e of document.querySelectorAll("
                    + "'#messages li .subject')) { const m = /bench-live-(\\d+)/.exec(e.textContent);"
                    + " if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = Date.now(); } })"
                    + ".observe(document.getElementById('messages'), {childList: true, subtree: true});");
            long[] delays = new long[n];
            for (int i = 0; i < n; i++) {
                f.send("live@example.org", List.of("team@example.test"), WebFixture.message("live@example.org",
                        "team@example.test", "bench-live-" + i, "hello"));
                long accepted = System.currentTimeMillis(); // the 250 has just been read
                b.await("window.__seen['" + i + "'] !== undefined");
                delays[i] = ((Number) b.js("return window.__seen['" + i + "'];")).longValue() - accepted;
            }
            Arrays.sort(delays);
            System.out.printf("SMTP 250 to shown in the open browser (%d messages): p50 %d ms, max %d ms%n", n,
                    delays[n / 2], delays[n - 1]);
        }
    }
}
