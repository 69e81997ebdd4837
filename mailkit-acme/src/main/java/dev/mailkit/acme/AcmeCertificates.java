package dev.mailkit.acme;

import dev.mailkit.acme.internal.CertificateStore;
import dev.mailkit.acme.internal.ChallengeResponder;
import dev.mailkit.acme.internal.Challenges;
import dev.mailkit.acme.internal.DirectoryTrust;
import dev.mailkit.acme.internal.Http01Responder;
import dev.mailkit.acme.internal.Issuer;
import dev.mailkit.acme.internal.RenewalPlan;
import dev.mailkit.acme.internal.Renewer;
import dev.mailkit.acme.internal.TlsAlpnResponder;
import dev.mailkit.core.tls.TlsConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * TLS certificates by ACME (RFC 8555), for every mailkit server at once: obtains a certificate for the configured
 * domains from an ACME CA (Let's Encrypt, or any other), answers the CA's challenge itself, keeps the account key and
 * the certificate in a storage directory, renews the certificate before it expires and swaps it into a
 * {@linkplain TlsConfig#replaceable(TlsConfig) replaceable} {@link TlsConfig}: give that one configuration to every
 * server, and each new connection (and STARTTLS) gets the newest certificate while open TLS sessions keep theirs.
 *
 * <pre>{@code
 * TlsConfig tls = TlsConfig.replaceable(TlsConfig.selfSigned("mail.example.com"));  // until the first issuance
 * try (AcmeCertificates acme = AcmeCertificates.builder()
 *         .directory(URI.create("https://acme-v02.api.letsencrypt.org/directory"))
 *         .domains("mail.example.com").contact("postmaster@example.com")
 *         .storage(Path.of("/var/lib/mailkit/acme")).tls(tls).build().start();
 *      SmtpServer smtp = SmtpServer.builder().tls(tls)...build().start()) { ... }
 * }</pre>
 *
 * <p>The challenge: {@link ChallengeType#HTTP_01} (default) is answered by a small HTTP responder on
 * {@link Builder#httpPort(int)} (80 by default: the port CAs connect to), {@link ChallengeType#TLS_ALPN_01} by a TLS
 * responder of its own on {@link Builder#tlsAlpnPort(int)} (443 by default). Not on the mail ports: CAs validate only
 * on 80 and 443. The responder listens from {@link #start()} to {@link #close()} and answers only while a validation
 * is pending; everything else gets 404 or a failed handshake.
 *
 * <p>Renewal: when {@link Builder#renewWhenRemaining(double)} of the certificate's lifetime is left (a third by
 * default), or at once when the stored certificate does not name every domain. A failure never touches the
 * certificate being served: it is logged (logger {@code dev.mailkit.acme}), told to the {@link AcmeListener}, and
 * tried again after {@link Builder#retryBackoff(Duration, Duration)} (1 minute, doubling up to 1 hour).
 *
 * <p>Storage (owner-only directory and files): {@code account.pem} (the account key), {@code key.pem} and
 * {@code certificate.pem} (the certificate's key and chain, usable by other programs too). Thread-safe; one
 * renewal thread of its own.
 */
public final class AcmeCertificates implements AutoCloseable {
    private final Builder b;
    private final Challenges challenges = new Challenges();
    private final ReentrantLock lock = new ReentrantLock();
    private ChallengeResponder responder;
    private Renewer renewer;
    private boolean closed;

    private AcmeCertificates(Builder b) {
        this.b = b;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the challenge responder's port, installs the stored certificate if it is still good, and schedules the
     * first attempt (at once when there is no usable certificate). Returns without waiting for the CA.
     *
     * @throws UncheckedIOException if the port cannot be bound or the storage directory cannot be created
     */
    public AcmeCertificates start() {
        lock.lock();
        try {
            if (renewer != null || closed) {
                throw new IllegalStateException("start() once, before close()");
            }
            return startLocked();
        } finally {
            lock.unlock();
        }
    }

    private AcmeCertificates startLocked() {
        try {
            CertificateStore store = CertificateStore.open(b.storage);
            InetSocketAddress address = new InetSocketAddress(b.bindAddress,
                    b.challenge == ChallengeType.HTTP_01 ? b.httpPort : b.tlsAlpnPort);
            try {
                responder = b.challenge == ChallengeType.HTTP_01 ? Http01Responder.start(address, challenges)
                        : TlsAlpnResponder.start(address, challenges);
            } catch (IOException e) {
                throw new IOException("cannot listen for " + b.challenge.token() + " challenges on " + address + ": "
                        + e.getMessage(), e);
            }
            Issuer issuer = new Issuer(b.directory, b.trust, b.domains, b.contact, b.challenge, challenges, b.timeout);
            renewer = new Renewer(issuer, store, b.tls, new RenewalPlan(b.remaining, b.firstRetry, b.maxRetry),
                    b.domains, b.clock, b.listener);
            renewer.start();
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Obtains a new certificate now (after an attempt under way, if any) and serves it; the renewal schedule starts
     * again from it.
     *
     * @throws IssuanceException if the attempt fails; the certificate served so far stays
     */
    public X509Certificate renewNow() throws IssuanceException {
        return started().renewNow();
    }

    /** The certificate this instance installed (issued or read from storage), if any yet. */
    public Optional<X509Certificate> certificate() {
        return started().current();
    }

    /** When the next attempt (renewal or retry) is scheduled. */
    public Optional<Instant> nextAttempt() {
        return started().nextAttempt();
    }

    /** The challenge responder's port (the real one when 0 was configured). */
    public int challengePort() {
        started();
        return responder.port();
    }

    /** The PEM chain file in the storage directory. */
    public Path certificateFile() {
        return b.storage.resolve("certificate.pem");
    }

    /** The PEM private key file of {@link #certificateFile()}. */
    public Path keyFile() {
        return b.storage.resolve("key.pem");
    }

    private Renewer started() {
        lock.lock();
        try {
            if (renewer == null) {
                throw new IllegalStateException("call start() first");
            }
            return renewer;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops renewing (an attempt under way is interrupted) and frees the responder's port; the certificate served so
     * far stays in the TLS configuration. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (renewer != null) {
                renewer.close();
            }
            if (responder != null) {
                responder.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Settings of {@link AcmeCertificates}. Required: {@link #directory}, {@link #domains}, {@link #storage} and
     * {@link #tls}. {@link #build()} checks every value and the combination, with a message saying what to change.
     * Not thread-safe.
     */
    public static final class Builder {
        private static final Pattern DOMAIN = Pattern.compile(
                "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
        private static final Pattern EMAIL = Pattern.compile("[^@\\s<>:,;]+@[^@\\s<>:,;]+");

        private URI directory;
        private final List<String> domains = new ArrayList<>();
        private String contact;
        private ChallengeType challenge = ChallengeType.HTTP_01;
        private Path storage;
        private Path trustFile;
        private DirectoryTrust trust;
        private InetAddress bindAddress;
        private int httpPort = 80;
        private int tlsAlpnPort = 443;
        private double remaining = 1.0 / 3;
        private Duration firstRetry = Duration.ofMinutes(1);
        private Duration maxRetry = Duration.ofHours(1);
        private Duration timeout = Duration.ofMinutes(2);
        private Clock clock = Clock.systemUTC();
        private TlsConfig tls;
        private AcmeListener listener = new AcmeListener() { };

        private Builder() {
        }

        /**
         * The CA's ACME directory URL, e.g. {@code https://acme-v02.api.letsencrypt.org/directory} (Let's Encrypt's
         * staging server for trying: {@code https://acme-staging-v02.api.letsencrypt.org/directory}).
         */
        public Builder directory(URI directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The domains of the certificate (the first is its subject); repeatable. No wildcards: they need DNS-01. */
        public Builder domains(String... names) {
            for (String n : names) {
                domains.add(Objects.requireNonNull(n, "domain").toLowerCase(Locale.ROOT));
            }
            return this;
        }

        /** An e-mail address for the CA's notices about the account (optional). */
        public Builder contact(String email) {
            this.contact = email;
            return this;
        }

        /** The challenge type (default {@link ChallengeType#HTTP_01}). */
        public Builder challenge(ChallengeType type) {
            this.challenge = Objects.requireNonNull(type, "challenge");
            return this;
        }

        /** Where the account key and the certificate are kept (created owner-only if missing). */
        public Builder storage(Path directory) {
            this.storage = Objects.requireNonNull(directory, "storage");
            return this;
        }

        /**
         * A PEM file of CA certificates to trust for the directory's HTTPS instead of the JDK's (a test CA such as
         * Pebble's, or a private CA). Default: the JDK's trusted CAs.
         */
        public Builder trustedCertificates(Path pemFile) {
            this.trustFile = pemFile;
            return this;
        }

        /** The address the challenge responder listens on (default: every address, as the CA must reach it). */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        /** The HTTP-01 responder's port (default 80; 0 picks a free port, for tests). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The TLS-ALPN-01 responder's port (default 443; 0 picks a free port, for tests). */
        public Builder tlsAlpnPort(int port) {
            this.tlsAlpnPort = port;
            return this;
        }

        /**
         * Renew when this fraction of the certificate's lifetime is left, above 0 and below 1 (default 1/3: a
         * 90-day certificate is renewed on day 60).
         */
        public Builder renewWhenRemaining(double fraction) {
            this.remaining = fraction;
            return this;
        }

        /** After a failure, wait {@code first}, doubling after each further failure up to {@code max}. */
        public Builder retryBackoff(Duration first, Duration max) {
            this.firstRetry = Objects.requireNonNull(first, "first");
            this.maxRetry = Objects.requireNonNull(max, "max");
            return this;
        }

        /** How long to wait for the CA to validate a challenge or issue the certificate (default 2 minutes). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The clock of the renewal schedule (default: the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The configuration every server uses, made with {@link TlsConfig#replaceable(TlsConfig)}: each certificate
         * obtained is swapped into it.
         */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** Told of each certificate installed and each failed attempt (default: nothing). */
        public Builder listener(AcmeListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Checks the settings.
         *
         * @throws IllegalStateException naming the setting and what to change
         */
        public AcmeCertificates build() {
            if (directory == null) {
                throw new IllegalStateException("directory(...) is required: the CA's ACME directory URL, e.g. "
                        + "https://acme-v02.api.letsencrypt.org/directory");
            }
            String scheme = directory.getScheme() == null ? "" : directory.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("acme")) {
                throw new IllegalStateException("directory " + directory + ": an ACME directory is an https:// URL");
            }
            if (domains.isEmpty()) {
                throw new IllegalStateException("domains(...) is required: the names of the certificate, e.g. "
                        + "mail.example.com");
            }
            for (String d : domains) {
                if (d.startsWith("*.")) {
                    throw new IllegalStateException("domain " + d + ": wildcard certificates need the DNS-01 "
                            + "challenge, which mailkit cannot answer; name each host");
                }
                if (!DOMAIN.matcher(d).matches() || !d.contains(".") && !d.equals("localhost")) {
                    throw new IllegalStateException("domain '" + d + "' is not a host name, e.g. mail.example.com");
                }
            }
            if (contact != null && !EMAIL.matcher(contact).matches()) {
                throw new IllegalStateException("contact '" + contact + "' is not an e-mail address, e.g. "
                        + "postmaster@example.com");
            }
            if (storage == null) {
                throw new IllegalStateException("storage(...) is required: the directory for the account key and "
                        + "the certificate");
            }
            if (tls == null || !tls.isReplaceable()) {
                throw new IllegalStateException("tls(...) needs the servers' configuration made with "
                        + "TlsConfig.replaceable(...), so a new certificate can be swapped in");
            }
            if (!(remaining > 0 && remaining < 1)) {
                throw new IllegalStateException("renewWhenRemaining(" + remaining + "): a fraction above 0 and "
                        + "below 1, e.g. 0.33 (renew when a third of the lifetime is left)");
            }
            checkPort("httpPort", httpPort);
            checkPort("tlsAlpnPort", tlsAlpnPort);
            if (firstRetry.isNegative() || firstRetry.isZero() || maxRetry.compareTo(firstRetry) < 0) {
                throw new IllegalStateException("retryBackoff(" + firstRetry + ", " + maxRetry + "): first above 0 "
                        + "and max at least first");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalStateException("timeout(" + timeout + ") must be above 0");
            }
            if (trustFile != null) {
                try {
                    trust = DirectoryTrust.of(trustFile);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("trustedCertificates: " + e.getMessage(), e);
                }
            }
            return new AcmeCertificates(copy());
        }

        /** A snapshot, so that changing this builder later changes nothing built. */
        private Builder copy() {
            Builder c = new Builder();
            c.directory = directory;
            c.domains.addAll(domains);
            c.contact = contact;
            c.challenge = challenge;
            c.storage = storage;
            c.trustFile = trustFile;
            c.trust = trust;
            c.bindAddress = bindAddress;
            c.httpPort = httpPort;
            c.tlsAlpnPort = tlsAlpnPort;
            c.remaining = remaining;
            c.firstRetry = firstRetry;
            c.maxRetry = maxRetry;
            c.timeout = timeout;
            c.clock = clock;
            c.tls = tls;
            c.listener = listener;
            return c;
        }

        private static void checkPort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalStateException(name + "(" + port + "): a port 0-65535 (0 picks a free port)");
            }
        }
    }
}
