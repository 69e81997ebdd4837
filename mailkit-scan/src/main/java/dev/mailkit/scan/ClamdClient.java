package dev.mailkit.scan;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.scan.internal.Conn;
import dev.mailkit.scan.internal.Endpoint;
import dev.mailkit.scan.internal.ScanProtocolException;
import dev.mailkit.scan.internal.SkipException;
import dev.mailkit.scan.internal.Texts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A client for ClamAV's {@code clamd}: the message is streamed with {@code INSTREAM} (in chunks, over TCP or a Unix
 * socket), and a virus found is a {@link ScanResult.Verdict#VIRUS} naming the signature, which the filter refuses
 * with {@code 554 5.7.1}.
 *
 * <pre>{@code
 * ClamdClient clamd = ClamdClient.builder("unix:/run/clamav/clamd.ctl").build();   // or "127.0.0.1:3310"
 * }</pre>
 *
 * <p>clamd refuses a stream longer than its {@code StreamMaxLength} (25 MiB by default); set the same value with
 * {@link Builder#streamMaxLength}: bigger messages are then not sent at all, and the filter skips them with a header
 * field saying so. Should clamd still refuse a stream as too long, that is a skip too, not a failure. One connection
 * per scan; each scan must finish within the timeout. Immutable and thread-safe.
 */
public final class ClamdClient implements Scanner {
    private static final byte[] END = {0, 0, 0, 0};

    private final Endpoint endpoint;
    private final Duration timeout;
    private final long streamMaxLength;
    private final String name;

    private ClamdClient(Builder b) {
        this.endpoint = b.endpoint;
        this.timeout = b.timeout;
        this.streamMaxLength = b.streamMaxLength;
        this.name = b.name;
    }

    /**
     * A builder for clamd at {@code HOST:PORT} or {@code unix:PATH}.
     *
     * @throws IllegalArgumentException if the address is neither
     */
    public static Builder builder(String address) {
        return new Builder(Endpoint.parse(address, "clamd address"));
    }

    @Override
    public String name() {
        return name;
    }

    /** clamd's {@code StreamMaxLength} as configured here. */
    @Override
    public long maxMessageSize() {
        return streamMaxLength;
    }

    @Override
    public ScanResult scan(Envelope envelope, MessageSource message) throws IOException {
        if (message.size() > streamMaxLength) {
            throw new SkipException("larger than clamd's StreamMaxLength of " + streamMaxLength + " bytes");
        }
        try (Conn c = Conn.open(endpoint, timeout)) {
            c.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[4 + 64 * 1024];
            boolean refused = false;
            try (InputStream in = message.openStream()) {
                int n;
                while ((n = in.readNBytes(buf, 4, buf.length - 4)) > 0) {
                    buf[0] = (byte) (n >>> 24);
                    buf[1] = (byte) (n >>> 16);
                    buf[2] = (byte) (n >>> 8);
                    buf[3] = (byte) n;
                    c.write(buf, 0, 4 + n);
                }
                c.write(END);
            } catch (IOException e) {
                // clamd may refuse the stream (size limit) and close while we send: its answer says why
                refused = true;
            }
            String answer = answer(c, refused);
            return interpret(answer);
        }
    }

    private String answer(Conn c, boolean refused) throws IOException {
        byte[] reply;
        try {
            reply = c.readToEnd(4096);
        } catch (IOException e) {
            if (refused) {
                throw new IOException(c.peer() + " closed the connection while the message was being sent", e);
            }
            throw e;
        }
        int end = reply.length;
        while (end > 0 && (reply[end - 1] == 0 || reply[end - 1] == '\n')) {
            end--;
        }
        if (end == 0) {
            throw new ScanProtocolException(c.peer() + " closed the connection without an answer");
        }
        return new String(reply, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** Reads clamd's answer: {@code stream: OK}, {@code stream: NAME FOUND}, or {@code ... ERROR}. */
    static ScanResult interpret(String answer) throws IOException {
        if (answer.contains("size limit exceeded")) {
            throw new SkipException("clamd refused it as longer than its StreamMaxLength");
        }
        if (answer.endsWith(" ERROR")) {
            throw new IOException("clamd: " + Texts.printable(answer, 200));
        }
        if (!answer.startsWith("stream: ") || answer.indexOf('\0') >= 0) {
            throw new ScanProtocolException("clamd answered '" + Texts.printable(answer, 60) + "'");
        }
        String rest = answer.substring("stream: ".length());
        if (rest.equals("OK")) {
            return ScanResult.of(ScanResult.Verdict.CLEAN);
        }
        if (rest.endsWith(" FOUND") && rest.length() > 6) {
            String virus = rest.substring(0, rest.length() - 6);
            return ScanResult.builder(ScanResult.Verdict.VIRUS).virus(virus).symbol(virus)
                    .reply(SmtpReply.of(554, "5.7.1", "Virus found: " + Texts.printable(virus, 100))).build();
        }
        throw new ScanProtocolException("clamd answered '" + Texts.printable(answer, 60) + "'");
    }

    /** {@code zPING}: clamd answers {@code PONG}; then {@code zVERSION}. */
    @Override
    public String ping() throws IOException {
        try (Conn c = Conn.open(endpoint, timeout)) {
            c.write("zPING\0".getBytes(StandardCharsets.US_ASCII));
            String pong = answer(c, false);
            if (!pong.equals("PONG")) {
                throw new ScanProtocolException("clamd answered PING with '" + Texts.printable(pong, 60) + "'");
            }
        }
        try (Conn c = Conn.open(endpoint, timeout)) {
            c.write("zVERSION\0".getBytes(StandardCharsets.US_ASCII));
            return "PONG, " + Texts.printable(answer(c, false), 100);
        }
    }

    @Override
    public String toString() {
        return "ClamdClient[" + endpoint + "]";
    }

    /** Configures a {@link ClamdClient}. Not thread-safe. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Duration timeout = Duration.ofSeconds(60);
        private long streamMaxLength = 25L * 1024 * 1024;
        private String name = "clamd";

        private Builder(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        /** The longest a scan (connect, send, answer) may take (default 60 s, as clamav-milter's ReadTimeout). */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /** clamd's {@code StreamMaxLength} (default 25 MiB, clamd's default): longer messages are not sent. */
        public Builder streamMaxLength(long octets) {
            this.streamMaxLength = Arguments.positive(octets, "streamMaxLength");
            return this;
        }

        /** The name in header fields and logs (default {@code clamd}). */
        public Builder name(String name) {
            this.name = ScanFilter.checkName(name);
            return this;
        }

        /** The client. */
        public ClamdClient build() {
            Objects.requireNonNull(endpoint, "endpoint");
            return new ClamdClient(this);
        }
    }
}
