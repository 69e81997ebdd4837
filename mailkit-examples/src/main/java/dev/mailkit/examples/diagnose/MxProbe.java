package dev.mailkit.examples.diagnose;

import dev.mailkit.examples.diagnose.Diagnosis.Finding;
import dev.mailkit.examples.diagnose.Diagnosis.Status;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Talks SMTP to one MX host as a sender would: STARTTLS offered, the certificate chain trusted, issued for the MX
 * host's name and not about to expire; then the open-relay self-test (a recipient in a domain the host is not for,
 * from a client it cannot know, must be refused). Stateless; thread-safe.
 */
final class MxProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration SOON = Duration.ofDays(14);

    private final X509TrustManager trust;
    private final int port;
    private final Clock clock;

    MxProbe(X509TrustManager trust, int port, Clock clock) {
        this.trust = trust;
        this.port = port;
        this.clock = clock;
    }

    /** The findings for one MX host at one of its addresses. */
    List<Finding> probe(String host, InetAddress address) {
        List<Finding> out = new ArrayList<>();
        String where = host + " (" + address.getHostAddress() + ":" + port + ")";
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
            plain.setSoTimeout((int) TIMEOUT.toMillis());
            Conversation c = new Conversation(plain);
            c.expect(220);
            if (!c.command("EHLO diagnose.mailkit.invalid", 250).toUpperCase(Locale.ROOT).contains("STARTTLS")) {
                out.add(new Finding("starttls", Status.FAIL, where + " does not offer STARTTLS: mail to it travels "
                        + "in clear text", "configure a certificate (tls: in mailkit's configuration)"));
                relay(c, where, out);
                return out;
            }
            c.command("STARTTLS", 220);
            X509Certificate[][] seen = new X509Certificate[1][];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new Recorder(seen)}, null);
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            tls.startHandshake();
            certificate(host, where, seen[0], tls.getSession().getProtocol(), out);
            Conversation t = new Conversation(tls);
            t.command("EHLO diagnose.mailkit.invalid", 250);
            relay(t, where, out);
        } catch (IOException | java.security.GeneralSecurityException e) {
            out.add(new Finding("starttls", Status.FAIL, "cannot talk SMTP with " + where + ": " + e.getMessage(),
                    "check that the server runs and port " + port + " is open to the world"));
        }
        return out;
    }

    private void certificate(String host, String where, X509Certificate[] chain, String protocol, List<Finding> out) {
        X509Certificate leaf = chain[0];
        try {
            trust.checkServerTrusted(chain, "UNKNOWN");
        } catch (CertificateException e) {
            out.add(new Finding("certificate", Status.FAIL, "the certificate of " + where + " ("
                    + leaf.getSubjectX500Principal().getName() + ") is not trusted: " + e.getMessage(),
                    "use a certificate from a public CA (Let's Encrypt) and send the whole chain (fullchain.pem)"));
            return;
        }
        List<String> names = names(leaf);
        if (names.stream().noneMatch(n -> matches(n, host))) {
            out.add(new Finding("certificate", Status.FAIL, "the certificate of " + where + " is for " + names
                    + ", not " + host, "get a certificate for " + host));
            return;
        }
        Instant now = clock.instant();
        Instant end = leaf.getNotAfter().toInstant();
        if (end.isBefore(now)) {
            out.add(new Finding("certificate", Status.FAIL, "the certificate of " + where + " expired on " + end,
                    "renew it, then kill -HUP the server"));
        } else if (end.isBefore(now.plus(SOON))) {
            out.add(new Finding("certificate", Status.WARN, "the certificate of " + where + " expires on " + end,
                    "renew it, then kill -HUP the server"));
        } else {
            out.add(new Finding("certificate", Status.OK, where + " offers STARTTLS (" + protocol + ") with a trusted "
                    + "certificate for " + host + " until " + end, ""));
        }
    }

    private static List<String> names(X509Certificate c) {
        List<String> out = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException ignored) {
            // no names
        }
        return out;
    }

    static boolean matches(String pattern, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (pattern.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(h);
    }

    private static void relay(Conversation c, String where, List<Finding> out) throws IOException {
        c.command("MAIL FROM:<diagnose@mailkit-diagnose.example>", 0);
        String reply = c.command("RCPT TO:<relay-test@mailkit-diagnose.example>", 0);
        if (reply.startsWith("2")) {
            out.add(new Finding("open-relay", Status.FAIL, where + " accepts mail for other domains from anyone "
                    + "(RCPT answered " + reply.lines().reduce((a, b) -> b).orElse(reply).strip() + "): an open "
                    + "relay, soon on every blocklist", "accept only the local domains; relay only after AUTH or "
                    + "for trusted networks"));
        } else {
            out.add(new Finding("open-relay", Status.OK, where + " refuses to relay for strangers", ""));
        }
        c.command("RSET", 0);
        c.command("QUIT", 0);
    }

    /** An SMTP conversation: one command, its (possibly multi-line) reply. */
    private static final class Conversation {
        private final BufferedReader in;
        private final OutputStream out;

        Conversation(Socket s) throws IOException {
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out = s.getOutputStream();
        }

        String expect(int code) throws IOException {
            StringBuilder sb = new StringBuilder();
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("the server closed the connection");
                }
                if (sb.length() < 8192) {
                    sb.append(line.replaceAll("[^\\x20-\\x7e]", "?")).append('\n');
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (code != 0 && !line.startsWith(String.valueOf(code))) {
                throw new IOException("expected " + code + ", got " + sb.toString().strip().replace('\n', ' '));
            }
            return sb.toString();
        }

        String command(String command, int code) throws IOException {
            out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return expect(code);
        }
    }

    /** Takes any chain, and keeps it: the checks above judge it. */
    private static final class Recorder implements X509TrustManager {
        private final X509Certificate[][] seen;

        Recorder(X509Certificate[][] seen) {
            this.seen = seen;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen[0] = chain.clone();
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
