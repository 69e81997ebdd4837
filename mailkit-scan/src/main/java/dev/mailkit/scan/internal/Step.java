package dev.mailkit.scan.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.scan.FailurePolicy;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One scanner or milter in the filter's order, with its failure policy, size limit and circuit breaker. Content
 * scanners act at the end of DATA only; milters take part from MAIL FROM on.
 */
public abstract class Step {
    protected final String name;
    protected final FailurePolicy policy;
    protected final long maxSize;
    protected final Breaker breaker;

    protected Step(String name, FailurePolicy policy, long maxSize, Breaker breaker) {
        this.name = name;
        this.policy = policy;
        this.maxSize = maxSize;
        this.breaker = breaker;
    }

    /** The name in header fields and logs. */
    public String name() {
        return name;
    }

    /** The failure policy. */
    public FailurePolicy policy() {
        return policy;
    }

    /** The breaker. */
    public Breaker breaker() {
        return breaker;
    }

    /** MAIL FROM; {@code scanned} says whether this transaction is scanned at all. */
    public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> params,
                                    boolean scanned) {
        return FilterVerdict.accept();
    }

    /** RCPT TO. */
    public FilterVerdict onRcptTo(SessionInfo s, MailAddress rcpt, Map<String, String> params) {
        return FilterVerdict.accept();
    }

    /** The end of DATA: never throws; a failure is an outcome. */
    public abstract Outcome onData(SessionInfo s, Envelope envelope, MessageSource message);

    /** The session ended. */
    public void onDisconnect(SessionInfo s) {
    }

    /** The scanner's own health check. */
    public abstract String ping() throws IOException;

    /** A reply to give right away when the policy is to fail temporarily. */
    protected FilterVerdict policyVerdict() {
        return policy == FailurePolicy.TEMPFAIL
                ? FilterVerdict.tempFail(451, "4.7.1", "Content scanner " + name + " unavailable, try again later")
                : FilterVerdict.accept();
    }

    /** "skipped for now" when the breaker is open. */
    protected String breakerReason() {
        Instant until = breaker.openUntil();
        return "skipped after " + breaker.failures() + " failures in a row" + (until == null ? "" : ", until "
                + until.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** A short, printable reason for a failure (never the scanner's raw text). */
    public static String reason(Throwable e) {
        if (e instanceof SocketTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException || e instanceof UnresolvedAddressException
                || (e.getCause() instanceof UnresolvedAddressException)) {
            return "unreachable";
        }
        if (e instanceof EOFException) {
            return "connection closed";
        }
        if (e instanceof ScanProtocolException) {
            return "bad answer";
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().contains("reset")) {
            return "connection reset";
        }
        return e instanceof IOException ? "error" : "internal error";
    }
}
