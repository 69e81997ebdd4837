package dev.mailkit.sieve;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.server.Connection;
import dev.mailkit.core.server.PlainAndImplicitTlsServer;
import dev.mailkit.core.server.ServerBuilder;
import dev.mailkit.sieve.internal.managesieve.ManageSieveConfig;
import dev.mailkit.sieve.internal.managesieve.ManageSieveSession;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * A ManageSieve server (RFC 5804): users upload, check, list, activate, download, rename and delete their Sieve
 * scripts, which {@link SieveScripts} keeps where Dovecot keeps them (so the delivery agent's {@link SieveDelivery}
 * runs the active one). The same login rules as mailkit's IMAP server: STARTTLS on the plain port (the standard port
 * is 4190), AUTHENTICATE PLAIN and LOGIN only after STARTTLS when TLS is configured, the shared
 * {@code AuthFailurePenalty} delay before each failure's reply and a connection closed after a few, limits on
 * connections, lines and silence; optionally a second port with implicit TLS.
 *
 * <pre>{@code
 * try (ManageSieveServer sieve = ManageSieveServer.builder()
 *         .scripts(SieveScripts.maildir(data))
 *         .users(users)
 *         .tls(TlsConfig.selfSigned())
 *         .port(4190)
 *         .build()
 *         .start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>PUTSCRIPT and CHECKSCRIPT compile the script: an invalid one is refused with {@code NO} and sievec's error
 * lines (line and reason). Defaults: the loopback address, a free port, no TLS (logins need TLS once it is
 * configured), scripts up to 1 MiB and 100 per user, 1 minute of silence before login and 30 minutes after, 3 failed
 * logins and 10 bad commands per connection, 1000 connections (100 per address). Thread-safe; {@link #close()} is
 * idempotent.
 */
public final class ManageSieveServer extends PlainAndImplicitTlsServer {
    private final ManageSieveConfig config;

    private ManageSieveServer(Builder b, ServerBuilder.Common c, ManageSieveConfig config) {
        super("ManageSieve", b, c, null, "BYE \"Too many connections, try again later.\"\r\n");
        this.config = config;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void serve(Connection c) throws IOException {
        new ManageSieveSession(config, c).run();
    }

    @Override
    public ManageSieveServer start() {
        super.start();
        return this;
    }

    /**
     * Builds a {@link ManageSieveServer}: the settings every server has are {@link ServerBuilder}'s, the ports
     * {@link PlainAndImplicitTlsServer.Builder}'s, and these ManageSieve's own. Not thread-safe.
     */
    public static final class Builder extends PlainAndImplicitTlsServer.Builder<Builder> {
        private SieveScriptStore scripts;
        private int maxScriptSize = 1 << 20;
        private int maxScripts = 100;
        private int maxBadCommands = 10;
        private int maxRedirects = Sieve.DEFAULT_MAX_REDIRECTS;

        private Builder() {
            super("mailkit", Duration.ofMinutes(30));
        }

        /**
         * Where users' scripts are (required): {@link SieveScripts} in files, or another {@link SieveScriptStore}
         * (mailkit-postgres's for several nodes).
         */
        public Builder scripts(SieveScriptStore scripts) {
            this.scripts = Objects.requireNonNull(scripts, "scripts");
            return this;
        }

        /** The largest script accepted, in octets (default 1 MiB, at most {@link SieveScript#MAX_SOURCE}). */
        public Builder maxScriptSize(int octets) {
            this.maxScriptSize = Arguments.atLeastOne(octets, "maxScriptSize");
            return this;
        }

        /** The most scripts one user may have (default 100). */
        public Builder maxScripts(int n) {
            this.maxScripts = Arguments.atLeastOne(n, "maxScripts");
            return this;
        }

        /** Bad commands after which a connection is closed (default 10). */
        public Builder maxBadCommands(int n) {
            this.maxBadCommands = Arguments.atLeastOne(n, "maxBadCommands");
            return this;
        }

        /** The redirect limit announced as MAXREDIRECTS (that of the {@link Sieve} delivery uses; default 4). */
        public Builder maxRedirects(int n) {
            this.maxRedirects = n;
            return this;
        }

        /**
         * The server (not started).
         *
         * @throws IllegalStateException if scripts or users are missing, or settings contradict each other
         */
        public ManageSieveServer build() {
            ServerBuilder.Common c = checkedCommon();
            if (scripts == null) {
                throw new IllegalStateException("set scripts(...): where users' Sieve scripts are, e.g. "
                        + "SieveScripts.maildir(dataDirectory)");
            }
            if (c.users() == null) {
                throw new IllegalStateException("set users(...): the user directory that checks passwords");
            }
            if (maxScriptSize > SieveScript.MAX_SOURCE) {
                throw new IllegalStateException("maxScriptSize can be at most " + SieveScript.MAX_SOURCE + ", was "
                        + maxScriptSize);
            }
            if (maxRedirects < 0) {
                throw new IllegalStateException("maxRedirects cannot be negative, was " + maxRedirects);
            }
            ManageSieveConfig config = new ManageSieveConfig(scripts, c.users(), c.requireTlsForLogin(c.tls() != null),
                    c.tls() != null, c.penalty(), c.maxAuthFailures(), maxBadCommands, maxScriptSize, maxScripts,
                    c.idleTimeout(), maxRedirects, "mailkit");
            return new ManageSieveServer(this, c, config);
        }
    }
}
