package dev.mailkit.mailauth.dmarc;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.mailauth.dkim.DkimResult;
import dev.mailkit.mailauth.dkim.DkimVerifier;
import dev.mailkit.mailauth.spf.SpfChecker;
import dev.mailkit.mailauth.spf.SpfResult;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Inbound message authentication in one filter: SPF at MAIL FROM, DKIM and DMARC at the end of DATA, and one
 * {@code Authentication-Results} field (RFC 8601) with all three, e.g.
 * {@code mx.example.com; spf=pass smtp.mailfrom=a@example.org; dkim=pass header.d=example.org header.s=s1
 * header.b=AbCdEfGh; dmarc=pass (p=reject dis=none) header.from=example.org}. A message that fails DMARC where the
 * From domain publishes {@code p=reject} is refused with {@code 550 5.7.1} (unless {@link #recordOnly()}); quarantine
 * and none are recorded only, for the application (or the mailbox's Junk folder) to act on. SPF fails alone are not
 * refused here: DMARC decides. Authenticated sessions are not checked. A message without exactly one From address
 * gets {@code dmarc=permerror}.
 *
 * <p>Use it as one of {@code SmtpServer.Builder.filters(...)}. Thread-safe.
 */
public final class DmarcFilter implements MailFilter {
    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final DmarcChecker dmarc;
    private final String authservId;
    private final boolean enforce;
    private final Map<String, SpfResult> spfResults = new ConcurrentHashMap<>();

    private DmarcFilter(SpfChecker spf, DkimVerifier dkim, DmarcChecker dmarc, String authservId, boolean enforce) {
        this.spf = Objects.requireNonNull(spf, "spf");
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.dmarc = Objects.requireNonNull(dmarc, "dmarc");
        Objects.requireNonNull(authservId, "authservId");
        if (authservId.isEmpty() || !authservId.chars().allMatch(c -> c > 32 && c < 127 && c != ';')) {
            throw new IllegalArgumentException("authservId must be a host name such as mx.example.com, was '"
                    + authservId + "'");
        }
        this.authservId = authservId;
        this.enforce = enforce;
    }

    /**
     * A filter checking with the given checkers, naming this server {@code authservId} in the field it adds.
     *
     * @throws IllegalArgumentException if {@code authservId} is empty or not printable ASCII without spaces
     */
    public static DmarcFilter of(SpfChecker spf, DkimVerifier dkim, DmarcChecker dmarc, String authservId) {
        return new DmarcFilter(spf, dkim, dmarc, authservId, true);
    }

    /** The same filter, recording a p=reject failure instead of refusing the message. */
    public DmarcFilter recordOnly() {
        return new DmarcFilter(spf, dkim, dmarc, authservId, false);
    }

    @Override
    public FilterVerdict onMailFrom(SessionInfo session, Optional<MailAddress> reversePath,
                                    Map<String, String> parameters) {
        if (session.authenticatedUser().isPresent()) {
            spfResults.remove(session.sessionId());
            return FilterVerdict.accept();
        }
        spfResults.put(session.sessionId(), spf.checkMailFrom(session.clientAddress().getAddress(),
                reversePath.map(MailAddress::toString).orElse(""), session.heloName().orElse("")));
        return FilterVerdict.accept();
    }

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        if (session.authenticatedUser().isPresent()) {
            return FilterVerdict.accept();
        }
        SpfResult s = spfResults.get(session.sessionId());
        StringBuilder ar = new StringBuilder(authservId);
        if (s != null) {
            ar.append("; spf=").append(s.result().keyword()).append(" smtp.mailfrom=")
                    .append(printable(envelope.reversePath().map(MailAddress::toString)
                            .orElse("postmaster@" + session.heloName().orElse(""))));
        }
        List<DkimResult> signatures;
        try {
            signatures = dkim.verify(message);
        } catch (java.io.IOException | RuntimeException e) {
            Log.LOG.warn("{}: cannot check DKIM signatures: {}", session.sessionId(), e.toString());
            signatures = List.of();
            ar.append("; dkim=temperror");
        }
        if (signatures.isEmpty() && ar.indexOf("dkim=") < 0) {
            ar.append("; dkim=none");
        }
        for (DkimResult d : signatures) {
            ar.append("; ").append(d.authenticationResult());
        }
        String from = fromDomain(message);
        DmarcResult d = from == null
                ? new DmarcResult(DmarcResult.Result.PERMERROR, null, null, null, "From: must hold exactly one address")
                : dmarc.check(from, s, signatures);
        ar.append("; ").append(d.authenticationResult());
        Log.LOG.debug("{}: {}", session.sessionId(), ar);
        if (enforce && d.result() == DmarcResult.Result.FAIL && d.disposition() == DmarcResult.Policy.REJECT) {
            return FilterVerdict.reject(550, "5.7.1", "Email rejected per DMARC policy for " + d.fromDomain());
        }
        return FilterVerdict.addHeader("Authentication-Results", ar.toString());
    }

    @Override
    public void onDisconnect(SessionInfo session) {
        spfResults.remove(session.sessionId());
    }

    /** The domain of the one address in the one From field, or null. */
    private static String fromDomain(MessageSource message) {
        try {
            String[] fields = message.headers().getHeader("From");
            if (fields == null || fields.length != 1) {
                return null;
            }
            InternetAddress[] a = InternetAddress.parseHeader(fields[0], false);
            if (a.length != 1 || a[0].getAddress() == null || a[0].getAddress().lastIndexOf('@') < 0) {
                return null;
            }
            String addr = a[0].getAddress();
            return addr.substring(addr.lastIndexOf('@') + 1);
        } catch (AddressException | RuntimeException e) {
            return null;
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            sb.append(c > 32 && c < 127 && c != ';' ? c : '?');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "DmarcFilter[" + authservId + (enforce ? "" : ", record only") + "]";
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DmarcFilter.class);
    }
}
