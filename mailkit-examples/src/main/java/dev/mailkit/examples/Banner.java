package dev.mailkit.examples;

import dev.mailkit.mailauth.dkim.DkimSigner;
import dev.mailkit.smtp.SmtpRole;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.mailkit.examples.ServerOptions.*;

/** What the server prints when it has started: where it listens and what it does. */
final class Banner {
    /** A certificate from a file that has less than this left is warned about at start, on reload and in /health. */
    static final Duration WARN_BEFORE = Duration.ofDays(21);

    private Banner() {
    }

    static void print(ServerOptions o, MailkitServerMain.Running r, PrintStream out) {
        Path pem = null;
        if (r.tls().isSelfSigned()) {
            pem = r.tls().writeCertificatePem(o.get(DATA).resolve("certificate.pem"));
        }
        String host = o.get(BIND).getHostAddress();
        out.println("mailkit started");
        out.println("  SMTP (MX)           " + host + ":" + r.smtp().port(SmtpRole.MX) + "  STARTTLS");
        out.println("  SMTP submission     " + host + ":" + r.smtp().port(SmtpRole.SUBMISSION) + "  STARTTLS, then AUTH");
        out.println("  SMTPS               " + host + ":" + r.smtp().port(SmtpRole.SMTPS) + "  implicit TLS, AUTH");
        out.println("  IMAP                " + host + ":" + r.imap().port() + "  STARTTLS, then LOGIN");
        out.println("  IMAPS               " + host + ":" + r.imap().implicitTlsPort() + "  implicit TLS");
        out.println("  POP3                " + host + ":" + r.pop3().port() + "  STLS, then USER/PASS or AUTH");
        out.println("  POP3S               " + host + ":" + r.pop3().implicitTlsPort() + "  implicit TLS");
        out.println("  ManageSieve         " + host + ":" + r.manageSieve().port() + "  STARTTLS, then AUTHENTICATE;"
                + " scripts in <data>/<domain>/<user>/sieve/, active: .dovecot.sieve");
        out.println("  web inbox, API      " + r.web().url() + (o.get(HTTP_OPEN) ? "  open: no login (test inbox)"
                : "  log in with a user's address and password"));
        out.println("  domains             " + String.join(", ", o.domains()));
        List<String> users = new ArrayList<>();
        o.get(USERS).forEach(e -> users.add(e.getKey()));
        out.println("  users               " + (users.isEmpty() && o.get(USERS_FILE) == null
                ? "(none: add --users-file FILE or --user ADDR:PASSWORD)"
                : String.join(", ", users) + (o.get(USERS_FILE) == null ? "" : (users.isEmpty() ? "" : "; ")
                + "users file " + o.get(USERS_FILE) + " (" + r.parts().usersFile().size() + " users)")));
        if (r.acme().isPresent()) {
            out.println("  TLS certificate     by ACME from " + o.get(AcmeOptions.DIRECTORY) + " for "
                    + String.join(", ", o.get(AcmeOptions.DOMAINS)) + ", " + o.get(AcmeOptions.CHALLENGE)
                    + " answered on port " + r.acme().get().challengePort() + ", kept in " + r.acme().get()
                    .certificateFile().getParent() + (r.acme().get().certificate().isPresent() ? ""
                    : "; until it is issued: generated, trust " + pem));
        } else {
            out.println("  TLS certificate     " + (pem != null ? "generated for localhost; trust " + pem
                    : o.get(TLS_CERT) + expiry(r.tls().certificate(), Instant.now()).map(w -> "  WARNING: " + w)
                    .orElse("")));
        }
        out.println("  relay               " + (o.get(RELAY_HOST) == null ? "to the recipients' MX hosts (DNS)"
                : "through " + r.relay().smartHost().orElseThrow()) + ", queue " + (r.relay().directory() != null ? r.relay().directory()
                : "in the database (shared by the nodes)"));
        out.println("  trusted networks    " + (o.get(TRUSTED_NETWORKS).isEmpty() ? "none (relaying needs AUTH)"
                : String.join(", ", o.get(TRUSTED_NETWORKS))));
        if (o.get(INBOUND_AUTH) != null) {
            out.println("  inbound auth        SPF, DKIM, DMARC recorded in Authentication-Results"
                    + (o.get(INBOUND_AUTH).equals("enforce") ? "; DMARC p=reject failures refused" : ""));
        }
        if (!o.get(DNSBL).isEmpty()) {
            out.println("  DNS blocklists      " + String.join(", ", o.get(DNSBL)) + " (refused at RCPT unless AUTH or"
                    + " trusted)");
        }
        if (o.scanning()) {
            out.println("  content scanning    " + describeScanning(o) + "; spam into Junk; quarantine "
                    + o.get(DATA).resolve(".quarantine"));
        }
        if (o.get(DKIM_DOMAIN) != null) {
            DkimSigner s = ServerAssembly.signer(o);
            out.println("  DKIM                " + s.algorithm() + " for " + s.domain() + "; publish TXT "
                    + s.dnsName() + " \"" + s.dnsRecord().orElse("(the public key)") + "\"");
        }
        Path data = o.get(DATA).toAbsolutePath();
        out.println("  store               " + (o.get(STORE).equals("postgres")
                ? "postgres " + r.store() + " (node " + (o.get(NODE_NAME) == null ? "default name" : o.get(NODE_NAME))
                + ")"
                : o.get(STORE).equals("memory") ? "memory (readable over IMAP and POP3, kept until exit)"
                : "maildir " + data + "/<domain>/<user>/ (Dovecot: mail_location = maildir:" + data + "/%d/%n)"));
        o.config().ifPresent(c -> out.println("  configuration       " + c + " (reload: kill -HUP "
                + ProcessHandle.current().pid() + ")"));
        out.flush();
    }

    /** How long a certificate has left, when that is less than {@link #WARN_BEFORE}: "expires in N days, on DATE". */
    static Optional<String> expiry(X509Certificate c, Instant now) {
        Instant end = c.getNotAfter().toInstant();
        if (!end.isAfter(now)) {
            return Optional.of("the certificate EXPIRED on " + end + ": clients refuse it; renew it, then kill -HUP");
        }
        Duration left = Duration.between(now, end);
        if (left.compareTo(WARN_BEFORE) >= 0) {
            return Optional.empty();
        }
        long days = left.toDays();
        return Optional.of("the certificate expires in " + (days == 0 ? "less than a day" : days + (days == 1 ? " day"
                : " days")) + ", on " + end + ": renew it, then kill -HUP");
    }

    private static String describeScanning(ServerOptions o) {
        List<String> parts = new ArrayList<>();
        if (o.get(RSPAMD) != null) {
            parts.add("rspamd " + o.get(RSPAMD));
        }
        if (o.get(SPAMD) != null) {
            parts.add("spamd " + o.get(SPAMD));
        }
        if (o.get(CLAMD) != null) {
            parts.add("clamd " + o.get(CLAMD));
        }
        o.get(MILTERS).forEach(m -> parts.add("milter " + m));
        return String.join(", ", parts) + "; when one is down: " + (o.get(SCAN_FAILURE).equals("accept")
                ? "accept, marked unscanned" : "451 4.7.1") + (o.get(SCAN_OUTBOUND) ? "; submissions scanned too" : "");
    }

}
