package dev.mailkit.store.bench;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.store.mime.MessageStructure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Micro-benchmarks of the store module, run by {@code bench/store-bench.sh}: the structure parser over N messages
 * of about 10 KiB, and the in-memory store's append, SELECT-style view opening, metadata and structure lookups and
 * a flag change over all messages. Prints the best of several rounds. Not a test.
 */
public final class StoreBench {
    private StoreBench() {
    }

    /** A message of about {@code size} bytes: multipart/alternative (text + HTML) with typical headers. */
    public static byte[] message(int i, int size, Random r) {
        StringBuilder h = new StringBuilder();
        h.append("Return-Path: <sender").append(i).append("@example.com>\r\n");
        for (int k = 0; k < 4; k++) {
            h.append("Received: from mx").append(k).append(".example.net (mx").append(k)
                    .append(".example.net [192.0.2.").append(k).append("])\r\n\tby mail.example.com with ESMTPS id ")
                    .append(Long.toHexString(r.nextLong())).append("\r\n\tfor <rcpt@example.com>; Mon, 1 Jan 2024 10:00:0")
                    .append(k).append(" +0000\r\n");
        }
        h.append("From: Sender ").append(i).append(" <sender").append(i).append("@example.com>\r\n")
                .append("To: Recipient <rcpt@example.com>\r\nCc: other@example.com\r\n")
                .append("Subject: Benchmark message number ").append(i).append("\r\n")
                .append("Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n")
                .append("Message-ID: <").append(i).append(".bench@example.com>\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/alternative; boundary=\"=_b").append(i).append("\"\r\n\r\n")
                .append("This is a multi-part message in MIME format.\r\n");
        int textSize = Math.max(100, (size - h.length() - 400) / 2);
        StringBuilder body = new StringBuilder();
        body.append("--=_b").append(i).append("\r\nContent-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        appendText(body, textSize, r);
        body.append("\r\n--=_b").append(i).append("\r\nContent-Type: text/html; charset=utf-8\r\n")
                .append("Content-Transfer-Encoding: quoted-printable\r\n\r\n<html><body>");
        appendText(body, textSize, r);
        body.append("</body></html>\r\n--=_b").append(i).append("--\r\n");
        return (h.toString() + body).getBytes(StandardCharsets.UTF_8);
    }

    private static void appendText(StringBuilder sb, int size, Random r) {
        int start = sb.length();
        while (sb.length() - start < size) {
            for (int w = 0; w < 12; w++) {
                sb.append("word").append(r.nextInt(1000)).append(' ');
            }
            sb.append("\r\n");
        }
    }

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Random r = new Random(1);
        List<byte[]> msgs = new ArrayList<>(n);
        long total = 0;
        for (int i = 0; i < n; i++) {
            byte[] m = message(i, 10 * 1024, r);
            msgs.add(m);
            total += m.length;
        }
        System.out.printf("messages: %d, %.1f MiB%n", n, total / 1048576.0);

        best("parse structure (all)", rounds, () -> {
            long parts = 0;
            for (byte[] m : msgs) {
                parts += MessageStructure.parse(new ByteArrayInputStream(m)).body().children().size();
            }
            return parts;
        });
        List<byte[]> encoded = new ArrayList<>();
        for (byte[] m : msgs) {
            encoded.add(MessageStructure.parse(new ByteArrayInputStream(m)).toBytes());
        }
        System.out.printf("cached structure: %.0f bytes per message%n",
                encoded.stream().mapToInt(b -> b.length).average().orElse(0));
        best("decode cached structure (all)", rounds, () -> {
            long s = 0;
            for (byte[] e : encoded) {
                s += MessageStructure.fromBytes(e).size();
            }
            return s;
        });

        for (int round = 0; round < rounds; round++) {
            try (MailStore store = MemoryMailStore.create()) {
                Mailbox inbox = store.account(MailAddress.parse("bench@example.com")).open(MailboxName.INBOX);
                long t0 = System.nanoTime();
                for (byte[] m : msgs) {
                    inbox.append(MessageSource.of(m), Flags.NONE, null);
                }
                long t1 = System.nanoTime();
                MailboxView view = inbox.openView(ViewMode.READ_WRITE);
                view.firstUnseen();
                long t2 = System.nanoTime();
                long sz = 0;
                for (int seq = 1; seq <= view.messageCount(); seq++) {
                    sz += inbox.message(view.uid(seq)).orElseThrow().size();
                }
                long t3 = System.nanoTime();
                for (int seq = 1; seq <= view.messageCount(); seq++) {
                    sz += inbox.structure(view.uid(seq)).orElseThrow().size();
                }
                long t4 = System.nanoTime();
                for (int seq = 1; seq <= view.messageCount(); seq++) {
                    sz += inbox.structure(view.uid(seq)).orElseThrow().size();
                }
                long t5 = System.nanoTime();
                view.store(UidSet.all(), FlagOperation.ADD, Flags.parse(List.of("bench")));
                long t6 = System.nanoTime();
                System.out.printf("round %d: append %.1f ms, open view %.2f ms, metadata %.1f ms, "
                                + "structure (first, parses) %.1f ms, structure (cached) %.1f ms, store +FLAGS %.1f ms"
                                + " [%d]%n", round, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3),
                        ms(t5 - t4), ms(t6 - t5), sz);
                view.close();
            }
        }
        bigMailbox();
    }

    /** The heap the in-memory store uses for 100 000 small messages beyond their bytes, and a SELECT on them. */
    private static void bigMailbox() {
        int n = 100_000;
        byte[][] bodies = new byte[n][];
        long content = 0;
        for (int i = 0; i < n; i++) {
            bodies[i] = ("Subject: " + i + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII);
            content += bodies[i].length + 16; // array header
        }
        Runtime rt = Runtime.getRuntime();
        long before = used(rt);
        try (MailStore store = MemoryMailStore.create()) {
            Mailbox inbox = store.account(MailAddress.parse("big@example.com")).open(MailboxName.INBOX);
            for (int i = 0; i < n; i++) {
                inbox.append(MessageSource.of(bodies[i]), i % 2 == 0 ? Flags.parse(List.of("\\Seen", "$x")) : Flags.NONE,
                        null);
            }
            long after = used(rt);
            java.lang.ref.Reference.reachabilityFence(bodies);
            long t0 = System.nanoTime();
            MailboxView v = inbox.openView(ViewMode.READ_WRITE);
            int unseen = v.firstUnseen();
            long t1 = System.nanoTime();
            System.out.printf("100000-message mailbox: %.0f bytes per message beyond the message bytes "
                            + "(index, holder, keywords); SELECT (view + first unseen) %.1f ms [%d]%n",
                    (after - before - content) / (double) n, ms(t1 - t0), unseen + inbox.status().messages());
            v.close();
        }
    }

    private static long used(Runtime rt) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private interface Job {
        long run() throws IOException;
    }

    private static void best(String label, int rounds, Job job) throws IOException {
        long best = Long.MAX_VALUE;
        long sink = 0;
        for (int i = 0; i < 2; i++) {
            sink += job.run(); // warm-up
        }
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            sink += job.run();
            best = Math.min(best, System.nanoTime() - t);
        }
        System.out.printf("%-34s %9.1f ms  [%d]%n", label, ms(best), sink);
    }
}
