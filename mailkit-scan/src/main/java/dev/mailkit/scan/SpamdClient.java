package dev.mailkit.scan;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.scan.internal.Conn;
import dev.mailkit.scan.internal.Endpoint;
import dev.mailkit.scan.internal.ScanProtocolException;
import dev.mailkit.scan.internal.Texts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A client for SpamAssassin's {@code spamd} (the SPAMC/1.5 protocol): {@code SYMBOLS} (the default) or
 * {@code REPORT}, with the score and threshold from spamd's {@code Spam:} line and the rule names from its answer.
 * A message at or above the threshold is {@link ScanResult.Verdict#SPAM} (delivered marked, e.g. into Junk); one at or
 * above {@link Builder#rejectScore} is refused. {@link #learnSpam} and {@link #learnHam} use {@code TELL} (spamd
 * must run with {@code --allow-tell}).
 *
 * <pre>{@code
 * SpamdClient spamd = SpamdClient.builder("127.0.0.1:783").rejectScore(15).build();
 * }</pre>
 *
 * <p>One connection per request. Messages over 500 KiB are not sent (spamc's own limit; see
 * {@link Builder#maxMessageSize}). Immutable and thread-safe.
 */
public final class SpamdClient implements Scanner {
    private static final int MAX_ANSWER = 256 * 1024;

    private final Endpoint endpoint;
    private final Duration timeout;
    private final boolean report;
    private final String user;
    private final double rejectScore;
    private final long maxMessageSize;
    private final String name;

    private SpamdClient(Builder b) {
        this.endpoint = b.endpoint;
        this.timeout = b.timeout;
        this.report = b.report;
        this.user = b.user;
        this.rejectScore = b.rejectScore;
        this.maxMessageSize = b.maxMessageSize;
        this.name = b.name;
    }

    /**
     * A builder for spamd at {@code HOST:PORT} or {@code unix:PATH}.
     *
     * @throws IllegalArgumentException if the address is neither
     */
    public static Builder builder(String address) {
        return new Builder(Endpoint.parse(address, "spamd address"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public ScanResult scan(Envelope envelope, MessageSource message) throws IOException {
        String verb = report ? "REPORT" : "SYMBOLS";
        Answer a = exchange(verb, message, "");
        String spam = a.header("spam");
        if (spam == null) {
            throw new ScanProtocolException("spamd answered " + verb + " without a Spam: line");
        }
        // Spam: True ; 1004.2 / 5.0
        int semi = spam.indexOf(';');
        int slash = spam.indexOf('/');
        if (semi < 0 || slash < semi) {
            throw new ScanProtocolException("spamd sent a bad Spam: line '" + Texts.printable(spam, 60) + "'");
        }
        boolean isSpam = spam.substring(0, semi).trim().equalsIgnoreCase("true")
                || spam.substring(0, semi).trim().equalsIgnoreCase("yes");
        double score;
        double threshold;
        try {
            score = Double.parseDouble(spam.substring(semi + 1, slash).trim());
            threshold = Double.parseDouble(spam.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new ScanProtocolException("spamd sent a bad Spam: line '" + Texts.printable(spam, 60) + "'");
        }
        ScanResult.Verdict verdict = !Double.isNaN(rejectScore) && score >= rejectScore ? ScanResult.Verdict.REJECT
                : isSpam ? ScanResult.Verdict.SPAM : ScanResult.Verdict.CLEAN;
        ScanResult.Builder r = ScanResult.builder(verdict).score(score, threshold);
        if (verdict == ScanResult.Verdict.REJECT) {
            r.reply(SmtpReply.of(550, "5.7.1", "Message refused as spam (score " + score + ")"));
        }
        String body = new String(a.body, StandardCharsets.ISO_8859_1);
        if (report) {
            symbolsFromReport(body, r);
        } else {
            for (String s : body.trim().split(",")) {
                r.symbol(s.trim());
            }
        }
        return r.build();
    }

    /** The rule names of a REPORT's table ({@code " 2.7 MISSING_DATE   Missing Date: header"}). */
    private static void symbolsFromReport(String report, ScanResult.Builder r) {
        boolean table = false;
        for (String line : report.split("\n")) {
            if (line.startsWith("----")) {
                table = true;
                continue;
            }
            String[] t = line.trim().split("\\s+");
            if (table && t.length >= 2 && t[0].matches("-?[0-9.]+") && !line.startsWith("      ")) {
                r.symbol(t[1]);
            }
        }
    }

    /** Learns the message as spam ({@code TELL}, {@code Message-class: spam}, {@code Set: local}). */
    public void learnSpam(MessageSource message, String user) throws IOException {
        tell(message, "spam", user);
    }

    /** Learns the message as ham ({@code TELL}, {@code Message-class: ham}, {@code Set: local}). */
    public void learnHam(MessageSource message, String user) throws IOException {
        tell(message, "ham", user);
    }

    private void tell(MessageSource message, String kind, String forUser) throws IOException {
        String u = forUser != null && forUser.chars().allMatch(c -> c > 32 && c < 127) ? forUser : null;
        exchange("TELL", message, "Message-class: " + kind + "\r\nSet: local\r\n" + (u == null ? "" : "User: " + u
                + "\r\n"));
    }

    /** {@code PING}: spamd answers {@code PONG}. */
    @Override
    public String ping() throws IOException {
        try (Conn c = Conn.open(endpoint, timeout)) {
            c.writeAscii("PING SPAMC/1.5\r\n\r\n");
            String line = c.readLine(1024);
            if (line == null || !line.startsWith("SPAMD/") || !line.endsWith(" PONG")) {
                throw new ScanProtocolException("spamd answered PING with '" + Texts.printable(line, 60) + "'");
            }
            return Texts.printable(line, 60);
        }
    }

    private record Answer(java.util.Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private Answer exchange(String verb, MessageSource message, String extraHeaders) throws IOException {
        try (Conn c = Conn.open(endpoint, timeout)) {
            StringBuilder req = new StringBuilder(128).append(verb).append(" SPAMC/1.5\r\n");
            req.append("Content-length: ").append(message.size()).append("\r\n").append(extraHeaders);
            if (user != null && !extraHeaders.contains("User:")) {
                req.append("User: ").append(user).append("\r\n");
            }
            c.writeAscii(req.append("\r\n").toString());
            byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, message.size()))];
            try (InputStream in = message.openStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    c.write(buf, 0, n);
                }
            }
            String status = c.readLine(4096);
            if (status == null) {
                throw new java.io.EOFException("spamd closed the connection without answering");
            }
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("SPAMD/")) {
                throw new ScanProtocolException("spamd answered '" + Texts.printable(status, 60) + "'");
            }
            if (!parts[1].equals("0")) {
                throw new IOException("spamd: " + Texts.printable(status, 200));
            }
            java.util.Map<String, String> headers = new java.util.HashMap<>();
            int total = 0;
            while (true) {
                String h = c.readLine(4096);
                if (h == null || h.isEmpty()) {
                    break;
                }
                total += h.length();
                if (total > 64 * 1024) {
                    throw new ScanProtocolException("spamd sent more than 64 KiB of header lines");
                }
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
            }
            String length = headers.get("content-length");
            byte[] body;
            if (length != null) {
                int n;
                try {
                    n = Integer.parseInt(length);
                } catch (NumberFormatException e) {
                    throw new ScanProtocolException("spamd sent a bad Content-length");
                }
                if (n < 0 || n > MAX_ANSWER) {
                    throw new ScanProtocolException("spamd announced an answer of " + n + " bytes");
                }
                body = c.readExactly(n);
            } else {
                body = c.readToEnd(MAX_ANSWER);
            }
            return new Answer(headers, body);
        }
    }

    @Override
    public String toString() {
        return "SpamdClient[" + endpoint + "]";
    }

    /** Configures a {@link SpamdClient}. Not thread-safe. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Duration timeout = Duration.ofSeconds(30);
        private boolean report;
        private String user;
        private double rejectScore = Double.NaN;
        private long maxMessageSize = 500 * 1024;
        private String name = "spamd";

        private Builder(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        }

        /** The longest a request (connect, send, answer) may take (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /** Ask with {@code REPORT} instead of {@code SYMBOLS} (the rule names are then read from the report). */
        public Builder report(boolean report) {
            this.report = report;
            return this;
        }

        /** The {@code User:} spamd scans for (its per-user settings and Bayes database); default none. */
        public Builder user(String user) {
            this.user = Arguments.token(user, "spamd user");
            return this;
        }

        /** Refuse ({@code 550 5.7.1}) messages scoring this or more (default: never; spam is only marked). */
        public Builder rejectScore(double score) {
            if (!Double.isFinite(score)) {
                throw new IllegalArgumentException("rejectScore must be a number, was " + score);
            }
            this.rejectScore = score;
            return this;
        }

        /** The largest message sent to spamd (default 500 KiB, as spamc); bigger ones are skipped. */
        public Builder maxMessageSize(long octets) {
            this.maxMessageSize = Arguments.positive(octets, "maxMessageSize");
            return this;
        }

        /** The name in header fields and logs (default {@code spamd}). */
        public Builder name(String name) {
            this.name = ScanFilter.checkName(name);
            return this;
        }

        /** The client. */
        public SpamdClient build() {
            return new SpamdClient(this);
        }
    }
}
