package dev.mailkit.scan;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.internal.Conn;
import dev.mailkit.scan.internal.Endpoint;
import dev.mailkit.scan.internal.Http;
import dev.mailkit.scan.internal.RspamdAnswer;
import dev.mailkit.scan.internal.ScanProtocolException;
import dev.mailkit.scan.internal.Texts;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A client for Rspamd's normal worker: {@code POST /checkv2} with the message streamed as the body and the
 * transaction in the header fields Rspamd reads ({@code IP}, {@code Helo}, {@code From}, one {@code Rcpt} per
 * recipient, {@code User} for authenticated senders, {@code Queue-Id}, {@code MTA-Name}, {@code TLS-Version},
 * {@code TLS-Cipher}). Rspamd's {@code action} decides: {@code reject} is {@link ScanResult.Verdict#REJECT}
 * ({@code 550 5.7.1}), {@code soft reject} and {@code greylist} are {@link ScanResult.Verdict#TEMPFAIL}
 * ({@code 451 4.7.1}), {@code add header} and {@code rewrite subject} are {@link ScanResult.Verdict#SPAM} (the
 * latter with the subject Rspamd wrote), {@code discard} and {@code quarantine} are what they say; its
 * {@code milter.add_headers}/{@code remove_headers} and {@code dkim-signature} become {@link HeaderEdit}s.
 *
 * <pre>{@code
 * RspamdClient rspamd = RspamdClient.builder("http://127.0.0.1:11333")
 *         .controller("http://127.0.0.1:11334", password)   // for learnSpam/learnHam
 *         .build();
 * }</pre>
 *
 * <p>One connection per request (Rspamd closes it anyway); answers over 1 MiB are refused. Immutable and thread-safe.
 */
public final class RspamdClient implements Scanner {
    /**
     * How often a learn request is tried while Rspamd answers "database is locked": waits of 0.1, 0.2, 0.4, 0.8, 1.6
     * and then 2 s, about 7 s in all (on a loaded machine a lock of Rspamd's SQLite statistics outlasted 1.5 s).
     */
    private static final int LEARN_ATTEMPTS = 8;

    private static final int MAX_ANSWER = 1024 * 1024;

    private final Endpoint endpoint;
    private final Endpoint controller;
    private final String password;
    private final Duration timeout;
    private final String mtaName;
    private final long maxMessageSize;
    private final String name;

    private RspamdClient(Builder b) {
        this.endpoint = b.endpoint;
        this.controller = b.controller;
        this.password = b.password;
        this.timeout = b.timeout;
        this.mtaName = b.mtaName;
        this.maxMessageSize = b.maxMessageSize;
        this.name = b.name;
    }

    /**
     * A builder for Rspamd's normal worker at {@code http://HOST:PORT} (its default port is 11333) or
     * {@code unix:PATH}.
     *
     * @throws IllegalArgumentException if the address is neither
     */
    public static Builder builder(String url) {
        return new Builder(endpoint(url, "Rspamd URL"));
    }

    static Endpoint endpoint(String url, String what) {
        Objects.requireNonNull(url, what);
        if (url.startsWith("unix:") || url.startsWith("/")) {
            return Endpoint.parse(url, what);
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException(what + " needs http://HOST:PORT or unix:PATH, e.g. "
                    + "http://127.0.0.1:11333, was '" + url + "'");
        }
        return Endpoint.tcp(u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1)
                : u.getHost(), u.getPort() < 0 ? 80 : u.getPort());
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
        List<String[]> h = new ArrayList<>();
        envelope.clientAddress().ifPresent(a -> h.add(new String[] {"IP", a.getAddress().getHostAddress()}));
        envelope.heloName().ifPresent(n -> h.add(new String[] {"Helo", n}));
        envelope.reversePath().ifPresent(r -> h.add(new String[] {"From", r.toString()}));
        for (MailAddress r : envelope.recipients()) {
            h.add(new String[] {"Rcpt", r.toString()});
        }
        envelope.authenticatedUser().ifPresent(u -> h.add(new String[] {"User", u}));
        if (!envelope.transactionId().isEmpty()) {
            h.add(new String[] {"Queue-Id", envelope.transactionId()});
        }
        h.add(new String[] {"MTA-Name", mtaName});
        envelope.tls().ifPresent(t -> {
            h.add(new String[] {"TLS-Version", t.protocol()});
            h.add(new String[] {"TLS-Cipher", t.cipherSuite()});
        });
        Http.Response r = call(endpoint, "POST", "/checkv2", h, message);
        if (r.status() != 200) {
            throw new IOException("rspamd answered HTTP " + r.status() + ": " + Texts.printable(r.text(), 100));
        }
        return RspamdAnswer.parse(r.text());
    }

    /**
     * Learns the message as spam ({@code POST /learnspam} on the controller). While Rspamd answers "database is
     * locked" (its SQLite statistics busy with another of its processes) the request is tried again, up to 5 times
     * over about 1.5 s.
     */
    public void learnSpam(MessageSource message) throws IOException {
        learn("/learnspam", message);
    }

    /** Learns the message as ham ({@code POST /learnham} on the controller), tried again as {@link #learnSpam}. */
    public void learnHam(MessageSource message) throws IOException {
        learn("/learnham", message);
    }

    private void learn(String path, MessageSource message) throws IOException {
        if (controller == null) {
            throw new IllegalStateException("learning needs Rspamd's controller: set controller(url, password)");
        }
        List<String[]> h = new ArrayList<>();
        if (password != null) {
            h.add(new String[] {"Password", password});
        }
        for (int attempt = 1; ; attempt++) {
            Http.Response r = call(controller, "POST", path, h, message);
            String text = r.text();
            if (r.status() == 200 && text.contains("\"success\"") && text.contains("true")) {
                return;
            }
            if (text.contains("already learned")) {
                return; // the same message taught twice: nothing to do
            }
            // Rspamd's SQLite statistics are written by several of its processes; a busy moment answers 500
            // "database is locked", which passes: try again a few times before reporting it
            if (!text.contains("database is locked") || attempt == LEARN_ATTEMPTS) {
                throw new IOException("rspamd " + path + " answered HTTP " + r.status() + ": "
                        + Texts.printable(text, 200));
            }
            try {
                Thread.sleep(Math.min(2000L, 50L << attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while rspamd's database was locked");
            }
        }
    }

    /** {@code GET /ping}: Rspamd answers {@code pong}. */
    @Override
    public String ping() throws IOException {
        Http.Response r = call(endpoint, "GET", "/ping", List.of(), null);
        String text = r.text().trim();
        if (r.status() != 200 || !text.startsWith("pong")) {
            throw new ScanProtocolException("rspamd answered /ping with HTTP " + r.status() + " '"
                    + Texts.printable(text, 60) + "'");
        }
        return "pong";
    }

    private Http.Response call(Endpoint to, String method, String path, List<String[]> headers, MessageSource body)
            throws IOException {
        try (Conn c = Conn.open(to, timeout)) {
            return Http.exchange(c, method, to.isUnix() ? "localhost" : to.toString(), path, headers, body, MAX_ANSWER);
        }
    }

    @Override
    public String toString() {
        return "RspamdClient[" + endpoint + "]";
    }

    /** Configures an {@link RspamdClient}. Not thread-safe. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Endpoint controller;
        private String password;
        private Duration timeout = Duration.ofSeconds(15);
        private String mtaName = "mailkit";
        private long maxMessageSize = 50L * 1024 * 1024;
        private String name = "rspamd";

        private Builder(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * Rspamd's controller worker (default port 11334) and its password, for {@link #learnSpam} and
         * {@link #learnHam} (the password may be null where the controller trusts this address).
         */
        public Builder controller(String url, String password) {
            this.controller = endpoint(url, "Rspamd controller URL");
            if (password != null && password.chars().anyMatch(c -> c < 32 || c == 127)) {
                throw new IllegalArgumentException("the Rspamd password must not contain control characters");
            }
            this.password = password;
            return this;
        }

        /** The longest a request (connect, send, answer) may take (default 15 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /** The {@code MTA-Name} Rspamd is told (default {@code mailkit}). */
        public Builder mtaName(String mtaName) {
            this.mtaName = Arguments.token(mtaName, "mtaName");
            return this;
        }

        /** The largest message sent to Rspamd (default 50 MiB, Rspamd's own {@code max_message}). */
        public Builder maxMessageSize(long octets) {
            this.maxMessageSize = Arguments.positive(octets, "maxMessageSize");
            return this;
        }

        /** The name in header fields and logs (default {@code rspamd}). */
        public Builder name(String name) {
            this.name = ScanFilter.checkName(name);
            return this;
        }

        /** The client. */
        public RspamdClient build() {
            return new RspamdClient(this);
        }
    }
}
