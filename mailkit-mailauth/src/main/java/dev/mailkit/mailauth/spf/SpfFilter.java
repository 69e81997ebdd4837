package dev.mailkit.mailauth.spf;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the SPF policy (RFC 7208) of each transaction's MAIL FROM domain (or, for the null reverse-path, of the HELO
 * name) against the client's address, as Postfix's policyd-spf does: {@code fail} is refused at MAIL FROM with
 * {@code 550 5.7.23} (RFC 7372) and the domain's explanation, {@code temperror} with {@code 451 4.7.24} when
 * {@link #deferOnTempError} is set (default: accepted), and every accepted message gets a {@code Received-SPF} field
 * (RFC 7208 9.1) with the result. Authenticated sessions (submission users) are not checked.
 *
 * <p>Use it as one of {@code SmtpServer.Builder.filters(...)}; {@code receiver} names this server in the header
 * field. Thread-safe.
 */
public final class SpfFilter implements MailFilter {
    private final SpfChecker checker;
    private final String receiver;
    private final boolean rejectFail;
    private final boolean deferOnTempError;
    private final Map<String, SpfResult> results = new ConcurrentHashMap<>();

    private SpfFilter(SpfChecker checker, String receiver, boolean rejectFail, boolean deferOnTempError) {
        this.checker = Objects.requireNonNull(checker, "checker");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.rejectFail = rejectFail;
        this.deferOnTempError = deferOnTempError;
    }

    /** A filter that refuses SPF fails and accepts everything else, recording the result. */
    public static SpfFilter of(SpfChecker checker, String receiver) {
        return new SpfFilter(checker, receiver, true, false);
    }

    /** The same filter, but recording a fail instead of refusing it (for a trial period). */
    public SpfFilter recordOnly() {
        return new SpfFilter(checker, receiver, false, deferOnTempError);
    }

    /** The same filter, but answering {@code 451 4.7.24} when the policy cannot be checked now (temperror). */
    public SpfFilter deferOnTempError() {
        return new SpfFilter(checker, receiver, rejectFail, true);
    }

    @Override
    public FilterVerdict onMailFrom(SessionInfo session, Optional<MailAddress> reversePath,
                                    Map<String, String> parameters) {
        if (session.authenticatedUser().isPresent()) {
            results.remove(session.sessionId());
            return FilterVerdict.accept();
        }
        InetAddress client = session.clientAddress().getAddress();
        String helo = session.heloName().orElse("");
        SpfResult r = checker.checkMailFrom(client, reversePath.map(MailAddress::toString).orElse(""), helo);
        results.put(session.sessionId(), r);
        Log.LOG.debug("{}: SPF {} for [{}] MAIL FROM <{}>", session.sessionId(), r, client.getHostAddress(),
                reversePath.map(MailAddress::toString).orElse(""));
        if (r.result() == SpfResult.Result.FAIL && rejectFail) {
            return FilterVerdict.reject(550, "5.7.23", "SPF validation failed: "
                    + (r.explanation().isEmpty() ? r.domain() + " does not allow [" + client.getHostAddress()
                    + "] to send its mail" : r.explanation()));
        }
        if (r.result() == SpfResult.Result.TEMPERROR && deferOnTempError) {
            return FilterVerdict.tempFail(451, "4.7.24", "SPF policy of " + r.domain()
                    + " cannot be checked now, try again later");
        }
        return FilterVerdict.accept();
    }

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        SpfResult r = results.get(session.sessionId());
        if (r == null) {
            return FilterVerdict.accept();
        }
        String ip = session.clientAddress().getAddress().getHostAddress();
        String comment = receiver + ": " + (r.result() == SpfResult.Result.PASS
                ? "domain of " + r.domain() + " designates " + ip + " as permitted sender"
                : r.result() == SpfResult.Result.NONE ? r.domain() + " has no SPF policy"
                : "domain of " + r.domain() + " does not designate " + ip + " as permitted sender");
        StringBuilder v = new StringBuilder(r.result().keyword()).append(" (").append(printable(comment))
                .append(") client-ip=").append(ip).append("; envelope-from=\"")
                .append(printable(envelope.reversePath().map(MailAddress::toString).orElse(""))).append("\";");
        session.heloName().ifPresent(h -> v.append(" helo=").append(printable(h)).append(';'));
        v.append(" receiver=").append(printable(receiver)).append(';');
        return FilterVerdict.addHeader("Received-SPF", v.toString());
    }

    @Override
    public void onDisconnect(SessionInfo session) {
        results.remove(session.sessionId());
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            sb.append(c >= 32 && c < 127 && c != '"' && c != '(' && c != ')' ? c : '?');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SpfFilter[" + receiver + (rejectFail ? "" : ", record only") + "]";
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(SpfFilter.class);
    }
}
