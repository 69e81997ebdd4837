package dev.mailkit.scan;

import dev.mailkit.core.Arguments;
import dev.mailkit.scan.internal.Endpoint;
import dev.mailkit.scan.internal.MilterSession;

import java.io.IOException;
import java.time.Duration;

/**
 * A milter (the Sendmail/Postfix content filter protocol, version 6), with mailkit as the MTA side: every milter
 * Postfix users run plugs in: Rspamd's proxy worker in milter mode, clamav-milter, OpenDKIM, spamass-milter.
 * Give it to {@link ScanFilter.Builder#milter}; the filter then speaks to it through the SMTP session (connect and
 * HELO at the first MAIL FROM, each RCPT, and the message at the end of DATA) and does what it answers: accept,
 * reject, temporary failure, discard, quarantine, add, insert and change header fields, replace the body, add and
 * delete recipients (an added recipient must be local: mailkit never relays because a milter asked). Changing the
 * sender is not offered.
 *
 * <pre>{@code
 * MilterClient opendkim = MilterClient.builder("127.0.0.1:8891").name("opendkim").build();
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class MilterClient {
    private final Endpoint endpoint;
    private final Duration timeout;
    private final String name;

    private MilterClient(Builder b) {
        this.endpoint = b.endpoint;
        this.timeout = b.timeout;
        this.name = b.name;
    }

    /**
     * A builder for a milter at {@code HOST:PORT} or {@code unix:PATH} (Postfix's {@code inet:HOST:PORT} form is
     * accepted too).
     *
     * @throws IllegalArgumentException if the address is none of these
     */
    public static Builder builder(String address) {
        String a = address != null && address.startsWith("inet:") ? address.substring(5) : address;
        return new Builder(Endpoint.parse(a, "milter address"));
    }

    /** The name in header fields and logs. */
    public String name() {
        return name;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Connects, negotiates the protocol options and says goodbye: the milter's health check.
     *
     * @throws IOException if the milter does not answer as it should within the timeout
     */
    public String ping() throws IOException {
        try (MilterSession m = MilterSession.open(endpoint, timeout, name)) {
            m.quit();
            return "negotiated milter protocol";
        }
    }

    @Override
    public String toString() {
        return "MilterClient[" + name + " at " + endpoint + "]";
    }

    /** Configures a {@link MilterClient}. Not thread-safe. */
    public static final class Builder {
        private final Endpoint endpoint;
        private Duration timeout = Duration.ofSeconds(30);
        private String name;

        private Builder(Endpoint endpoint) {
            this.endpoint = endpoint;
            this.name = "milter-" + (endpoint.isUnix() ? "unix" : endpoint.host().replace(':', '.') + "-"
                    + endpoint.port());
        }

        /**
         * The longest one exchange with the milter may take: connecting, each SMTP step, each body chunk, the end of
         * the message (default 30 s, Postfix's {@code milter_command_timeout}).
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /** The name in header fields and logs (default {@code milter-HOST-PORT}). */
        public Builder name(String name) {
            this.name = ScanFilter.checkName(name);
            return this;
        }

        /** The client. */
        public MilterClient build() {
            return new MilterClient(this);
        }
    }
}
