package dev.mailkit.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Sends seeded random command lines, built from a protocol's words and hostile pieces (brackets, quotes, literals,
 * NUL, bare CR and LF, long tokens, UTF-8, control characters), to a server over a real socket, and reports how the
 * server answered: every line it sent back, and whether it closed the connection without saying goodbye first. The
 * same seed gives the same bytes, so a failure can be replayed.
 */
public final class ProtocolFuzzer {
    private static final String[] PIECES = {" ", " ", " ", "(", ")", "[", "]", "<", ">", "\"", "\\", "{", "}", "*",
        "%", ":", ",", ".", "@", "=", "+", "-", "0", "1", "4294967295", "-1", "{5}", "{0}", "{99999999}", "{3+}",
        "\u0000", "\r", "\n", "\t", "\u00e9", "\ud83d\udce7", "\u0007", "NIL", "INBOX", "BODY[", "<0.10>", "UID",
        "1:*", "*:1", "$", "&", "&AMk-", "a@b", "<a@b>", "<>", "FROM:", "TO:", "SIZE=", "BODY=8BITMIME"};

    private final Random random;
    private final List<String> words;

    /**
     * A fuzzer for a protocol whose command words (and common arguments) are {@code words}.
     *
     * @param seed the seed: the same seed sends the same bytes
     */
    public ProtocolFuzzer(long seed, List<String> words) {
        this.random = new Random(seed);
        this.words = List.copyOf(words);
    }

    /** One random line (without its CRLF): a command word, then a few words and hostile pieces. */
    public String line(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        if (random.nextInt(10) > 0) {
            sb.append(words.get(random.nextInt(words.size())));
        }
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(10);
            if (k < 4) {
                sb.append(' ').append(words.get(random.nextInt(words.size())));
            } else if (k < 9) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            } else {
                sb.append("x".repeat(random.nextInt(15) == 0 ? 20_000 : 300));
            }
        }
        return sb.toString();
    }

    /** What the server did with one session's random lines. */
    public static final class Session {
        /** The lines the server sent. */
        public final List<String> received;
        /**
         * Whether the server closed the connection without a goodbye line as its last words (after the client's quit
         * command a server says goodbye; a server that closes for its own reasons says so too).
         */
        public final boolean droppedWithoutGoodbye;
        /** The bytes sent, for replaying a failure. */
        public final String sent;

        Session(List<String> received, boolean dropped, String sent) {
            this.received = received;
            this.droppedWithoutGoodbye = dropped;
            this.sent = sent;
        }
    }

    /**
     * Connects, sends the {@code preamble} lines (e.g. a login), then {@code lines} random lines (each prefixed by
     * {@code prefix(i)}, e.g. an IMAP tag), then {@code quit}, and reads until the server closes or {@code timeout}
     * passes without a byte.
     *
     * @param goodbye whether a line is what the server says when it closes on purpose (e.g. starts with "* BYE")
     */
    public Session session(int port, List<String> preamble, int lines, java.util.function.IntFunction<String> prefix,
                           String quit, java.util.function.Predicate<String> goodbye, Duration timeout)
            throws IOException {
        StringBuilder sent = new StringBuilder();
        List<String> received = new ArrayList<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) timeout.toMillis());
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            boolean[] eof = new boolean[1];
            Thread reader = new Thread(() -> eof[0] = readAll(in, received), "fuzz-reader");
            reader.setDaemon(true);
            reader.start();
            try {
                for (String p : preamble) {
                    sent.append(p).append("\r\n");
                    out.write((p + "\r\n").getBytes(StandardCharsets.UTF_8));
                }
                for (int i = 0; i < lines; i++) {
                    String l = line(prefix.apply(i)) + "\r\n";
                    sent.append(l);
                    out.write(l.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                String q = quit + "\r\n";
                sent.append(q);
                out.write(q.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (SocketException e) {
                // the server closed while we were still sending: what it said last tells whether on purpose
            }
            try {
                reader.join(timeout.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean dropped = false;
            synchronized (received) {
                if (eof[0]) { // a goodbye among the last two lines (IMAP: "* BYE", then the tagged OK of LOGOUT)
                    List<String> last = received.subList(Math.max(0, received.size() - 2), received.size());
                    dropped = last.stream().noneMatch(goodbye);
                }
            }
            synchronized (received) {
                return new Session(new ArrayList<>(received), dropped, sent.toString());
            }
        }
    }

    /** Reads lines until the end of the stream (true) or a timeout or reset (false). */
    private static boolean readAll(InputStream in, List<String> received) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    synchronized (received) {
                        received.add(line.toString(StandardCharsets.UTF_8));
                    }
                    line.reset();
                } else if (b != '\r') {
                    line.write(b);
                }
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false; // the server waits for more (e.g. a literal's bytes): the session is over for the fuzzer
        } catch (IOException e) {
            return false; // reset: the client's close raced the server's, nothing to judge
        }
    }
}
