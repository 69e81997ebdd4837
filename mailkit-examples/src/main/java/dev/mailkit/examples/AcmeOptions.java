package dev.mailkit.examples;

import dev.mailkit.acme.AcmeCertificates;
import dev.mailkit.acme.AcmeListener;
import dev.mailkit.acme.ChallengeType;
import dev.mailkit.core.tls.TlsConfig;
import dev.mailkit.examples.config.ConfigException;
import dev.mailkit.examples.config.Setting;
import dev.mailkit.examples.config.Setting.Reload;
import dev.mailkit.examples.config.Values;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import static dev.mailkit.examples.config.Setting.list;
import static dev.mailkit.examples.config.Setting.value;

/**
 * The {@code tls.acme.*} settings of {@code mailkit serve}: a certificate by ACME (mailkit-acme) instead of
 * {@code --tls-cert}, and how the runnable server starts it. Declared here, apart from {@link ServerOptions}, which
 * lists them with its own.
 */
final class AcmeOptions {
    static final Setting<String> DIRECTORY = value("--acme-directory", "tls.acme.directory", "URL", null,
            Reload.RESTART, AcmeOptions::directory, "get the certificate by ACME from this CA's directory, e.g. "
                    + "https://acme-v02.api.letsencrypt.org/directory (instead of --tls-cert); renewed ahead of expiry");
    static final Setting<List<String>> DOMAINS = list("--acme-domain", "tls.acme.domains", "HOST", Reload.RESTART,
            AcmeOptions::host, "a host name of the ACME certificate (the MX host, e.g. mail.example.com), repeatable");
    static final Setting<String> CONTACT = value("--acme-contact", "tls.acme.contact", "EMAIL", null, Reload.RESTART,
            AcmeOptions::email, "an address for the CA's notices about the ACME account");
    static final Setting<String> CHALLENGE = value("--acme-challenge", "tls.acme.challenge", "TYPE", "http-01",
            Reload.RESTART, Parsers.oneOf("http-01", "tls-alpn-01"), "http-01 (default: mailkit answers on "
                    + "--acme-http-port) or tls-alpn-01 (on --acme-tls-port)");
    static final Setting<Path> STORAGE = value("--acme-storage", "tls.acme.storage", "DIR", null, Reload.RESTART,
            Path::of, "where the ACME account key and the certificate are kept, owner-only (default DATA/acme)");
    static final Setting<Path> TRUST = value("--acme-trust", "tls.acme.trust", "FILE", null, Reload.RESTART, Path::of,
            "PEM CA certificates to trust for the ACME directory's HTTPS instead of the JDK's (a test or private CA)");
    static final Setting<Integer> HTTP_PORT = value("--acme-http-port", "tls.acme.http-port", "N", 80, Reload.RESTART,
            Parsers::port, "where mailkit answers http-01 challenges (default 80, where CAs connect)");
    static final Setting<Integer> TLS_PORT = value("--acme-tls-port", "tls.acme.tls-port", "N", 443, Reload.RESTART,
            Parsers::port, "where mailkit answers tls-alpn-01 challenges (default 443, where CAs connect)");
    static final Setting<Double> RENEW = value("--acme-renew-when-remaining", "tls.acme.renew-when-remaining",
            "FRACTION", 1.0 / 3, Reload.RESTART, AcmeOptions::fraction, "renew when this part of the certificate's "
                    + "lifetime is left, e.g. 0.33 (default: a third; a percentage such as 33 percent works too)");

    /** The ACME settings, in the order of the help. */
    static final List<Setting<?>> SETTINGS = List.of(DIRECTORY, DOMAINS, CONTACT, CHALLENGE, STORAGE, TRUST, HTTP_PORT,
            TLS_PORT, RENEW);

    private AcmeOptions() {
    }

    /** The combinations: ACME or certificate files, the host names, nothing ACME without a directory. */
    static void check(ServerOptions o) throws ConfigException {
        Values v = o.values();
        if (o.get(DIRECTORY) == null) {
            for (Setting<?> s : SETTINGS) {
                if (v.isSet(s)) {
                    throw new ConfigException(v.name(s) + ": goes with " + DIRECTORY.flag() + " URL ("
                            + DIRECTORY.key() + ")");
                }
            }
            return;
        }
        if (o.get(ServerOptions.TLS_CERT) != null) {
            throw new ConfigException(v.name(DIRECTORY) + " and " + v.name(ServerOptions.TLS_CERT)
                    + ": choose one source of the certificate");
        }
        if (o.get(DOMAINS).isEmpty()) {
            throw new ConfigException(v.name(DIRECTORY) + ": needs " + DOMAINS.flag() + " HOST (" + DOMAINS.key()
                    + "), the name clients connect to, e.g. mail.example.com");
        }
    }

    /** Starts ACME for the servers' replaceable TLS configuration, or returns null when not configured. */
    static AcmeCertificates start(ServerOptions o, TlsConfig tls, ServerMetrics metrics, PrintStream out) {
        if (o.get(DIRECTORY) == null) {
            return null;
        }
        Path storage = o.get(STORAGE) != null ? o.get(STORAGE) : o.get(ServerOptions.DATA).resolve("acme");
        AcmeCertificates.Builder b = AcmeCertificates.builder().directory(URI.create(o.get(DIRECTORY)))
                .domains(o.get(DOMAINS).toArray(new String[0])).contact(o.get(CONTACT))
                .challenge(ChallengeType.of(o.get(CHALLENGE))).storage(storage).bindAddress(o.get(ServerOptions.BIND))
                .httpPort(o.get(HTTP_PORT)).tlsAlpnPort(o.get(TLS_PORT)).renewWhenRemaining(o.get(RENEW))
                .tls(tls).listener(new Events(metrics, out));
        if (o.get(TRUST) != null) {
            b.trustedCertificates(o.get(TRUST));
        }
        return b.build().start();
    }

    /** Certificates installed and failed attempts: a line on the console and a meter each. */
    private static final class Events implements AcmeListener {
        private final ServerMetrics metrics;
        private final PrintStream out;

        Events(ServerMetrics metrics, PrintStream out) {
            this.metrics = metrics;
            this.out = out;
        }

        @Override
        public void certificateInstalled(X509Certificate c, boolean issued, Instant renewAt) {
            metrics.acmeAttempt(issued ? "issued" : "stored");
            out.println("ACME certificate " + (issued ? "issued" : "read from storage") + ": serial "
                    + c.getSerialNumber().toString(16) + ", expires " + c.getNotAfter().toInstant() + ", renewal at "
                    + renewAt);
        }

        @Override
        public void attemptFailed(String reason, int consecutiveFailures, Instant nextAttempt) {
            metrics.acmeAttempt("failed");
            out.println("ACME attempt failed (" + consecutiveFailures + " in a row), next at " + nextAttempt + ": "
                    + reason);
        }
    }

    private static String directory(String value) {
        URI u;
        try {
            u = new URI(Parsers.text(value));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + Parsers.shown(value) + "' is not a URL");
        }
        if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("must be the CA's https:// directory URL, was '" + Parsers.shown(value)
                    + "'");
        }
        return value;
    }

    private static String host(String value) {
        String d = Parsers.domain(value).toLowerCase(Locale.ROOT);
        if (d.startsWith("*") || d.endsWith(".") || !d.contains(".") && !d.equals("localhost")) {
            throw new IllegalArgumentException("must be a host name such as mail.example.com (no wildcard), was '"
                    + Parsers.shown(value) + "'");
        }
        return d;
    }

    private static String email(String value) {
        if (!value.matches("[^@\\s<>:,;]+@[^@\\s<>:,;]+")) {
            throw new IllegalArgumentException("must be an e-mail address, was '" + Parsers.shown(value) + "'");
        }
        return value;
    }

    private static Double fraction(String value) {
        double f;
        try {
            f = value.endsWith("%") ? Double.parseDouble(value.substring(0, value.length() - 1)) / 100
                    : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f > 0 && f < 1)) {
            throw new IllegalArgumentException("must be a part of the lifetime above 0 and below 1, e.g. 33% or 0.33, "
                    + "was '" + Parsers.shown(value) + "'");
        }
        return f;
    }
}
