package dev.mailkit.scan.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.scan.FailurePolicy;
import dev.mailkit.scan.ScanResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A milter in the filter's order. Its conversation follows the SMTP session as Postfix's does, except that it starts
 * at the first MAIL FROM (a session that sends no mail costs the milter nothing): connect and HELO then, MAIL, each
 * RCPT as it comes (so a milter can refuse one recipient), and DATA, the header, the body and the end of the message
 * at the end of DATA. One milter connection per SMTP session, ended when the session ends.
 */
public final class MilterStep extends Step {
    private final Endpoint endpoint;
    private final Duration timeout;
    private final String hostName;
    private final MessageSpool spool;
    private final ConcurrentHashMap<String, State> sessions = new ConcurrentHashMap<>();

    private enum Txn { NONE, ACTIVE, ACCEPTED, DISCARD, FAILED, NOT_APPLICABLE }

    /** The milter's side of one SMTP session. Used by the session's thread only. */
    private static final class State {
        MilterSession milter;
        FilterVerdict refusedSession;
        boolean acceptedSession;
        boolean discardSession;
        boolean open;
        Txn txn = Txn.NONE;
        String failure;
    }

    /** A milter at {@code endpoint}. */
    public MilterStep(String name, Endpoint endpoint, Duration timeout, String hostName, MessageSpool spool,
                      FailurePolicy policy, long maxSize, Breaker breaker) {
        super(name, policy, maxSize, breaker);
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.hostName = hostName;
        this.spool = spool;
    }

    @Override
    public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> params,
                                    boolean scanned) {
        State st = sessions.computeIfAbsent(key(s), k -> new State());
        st.txn = Txn.NONE;
        if (!scanned) {
            st.txn = Txn.NOT_APPLICABLE;
            return FilterVerdict.accept();
        }
        if (st.refusedSession != null) {
            return st.refusedSession;
        }
        if (st.acceptedSession || st.discardSession) {
            st.txn = st.acceptedSession ? Txn.ACCEPTED : Txn.DISCARD;
            return FilterVerdict.accept();
        }
        if (!breaker.allows()) {
            st.txn = Txn.FAILED;
            st.failure = breakerReason();
            return policyVerdict();
        }
        try {
            if (st.milter == null) {
                FilterVerdict v = start(s, st);
                if (v != null) {
                    return v;
                }
            }
            if (st.open) {
                st.milter.abort();
                st.open = false;
            }
            List<String> args = new ArrayList<>();
            params.forEach((k, v) -> args.add(v == null || v.isEmpty() ? k : k + "=" + v));
            Map<String, String> macros = new LinkedHashMap<>();
            macros.put("i", s.sessionId());
            s.authenticatedUser().ifPresent(u -> macros.put("{auth_authen}", u));
            macros.put("{mail_addr}", from.map(MailAddress::toString).orElse(""));
            MilterSession.Reply r = st.milter.mail(from.map(MailAddress::toString).orElse(""), args, macros);
            st.open = true;
            breaker.success();
            return transaction(st, r);
        } catch (IOException | RuntimeException e) {
            return failed(s, st, e);
        }
    }

    /**
     * A session's key: its id with both ends of its connection (listeners of different servers may hand out the same
     * session id; no two open connections have the same ends).
     */
    private static String key(SessionInfo s) {
        return s.sessionId() + "|" + s.clientAddress() + "|" + s.localAddress();
    }

    /** Opens the milter connection and says connect and HELO; returns a verdict if the milter decided already. */
    private FilterVerdict start(SessionInfo s, State st) throws IOException {
        st.milter = MilterSession.open(endpoint, timeout, name);
        InetSocketAddress client = s.clientAddress();
        Map<String, String> macros = new LinkedHashMap<>();
        macros.put("j", hostName);
        macros.put("{daemon_name}", hostName);
        macros.put("v", "mailkit");
        if (client != null && client.getAddress() != null) {
            macros.put("{client_addr}", client.getAddress().getHostAddress());
            macros.put("{client_port}", Integer.toString(client.getPort()));
        }
        macros.put("{client_name}", "unknown");
        MilterSession.Reply r = st.milter.connect(client == null || client.getAddress() == null ? "unknown"
                : "[" + client.getAddress().getHostAddress() + "]", client, macros);
        if (r.kind() == MilterSession.Kind.CONTINUE) {
            Map<String, String> helo = new LinkedHashMap<>();
            s.tls().ifPresent(t -> {
                helo.put("{tls_version}", t.protocol());
                helo.put("{cipher}", t.cipherSuite());
            });
            r = st.milter.helo(s.heloName().orElse("unknown"), helo);
        }
        switch (r.kind()) {
            case CONTINUE:
                return null;
            case ACCEPT:
                st.acceptedSession = true;
                st.txn = Txn.ACCEPTED;
                break;
            case DISCARD:
                st.discardSession = true;
                st.txn = Txn.DISCARD;
                break;
            default:
                st.refusedSession = verdict(r);
                break;
        }
        st.milter.quit();
        st.milter.close();
        st.milter = null;
        return st.refusedSession != null ? st.refusedSession : FilterVerdict.accept();
    }

    private FilterVerdict transaction(State st, MilterSession.Reply r) {
        switch (r.kind()) {
            case CONTINUE:
                st.txn = Txn.ACTIVE;
                return FilterVerdict.accept();
            case ACCEPT:
                st.txn = Txn.ACCEPTED;
                return FilterVerdict.accept();
            case DISCARD:
                st.txn = Txn.DISCARD;
                return FilterVerdict.accept();
            default:
                st.txn = Txn.NONE;
                return verdict(r);
        }
    }

    private static FilterVerdict verdict(MilterSession.Reply r) {
        return r.reply().isPermanentFailure()
                ? FilterVerdict.reject(r.reply().code(), r.reply().enhancedStatus(), r.reply().text())
                : FilterVerdict.tempFail(r.reply().code(), r.reply().enhancedStatus(), r.reply().text());
    }

    @Override
    public FilterVerdict onRcptTo(SessionInfo s, MailAddress rcpt, Map<String, String> params) {
        State st = sessions.get(key(s));
        if (st == null || st.txn != Txn.ACTIVE) {
            return FilterVerdict.accept();
        }
        try {
            List<String> args = new ArrayList<>();
            params.forEach((k, v) -> args.add(v == null || v.isEmpty() ? k : k + "=" + v));
            MilterSession.Reply r = st.milter.rcpt(rcpt.toString(), args, Map.of("{rcpt_addr}", rcpt.toString()));
            return switch (r.kind()) {
                case CONTINUE -> FilterVerdict.accept();
                case ACCEPT -> {
                    st.txn = Txn.ACCEPTED;
                    yield FilterVerdict.accept();
                }
                case DISCARD -> {
                    st.txn = Txn.DISCARD;
                    yield FilterVerdict.accept();
                }
                default -> verdict(r); // this recipient only
            };
        } catch (IOException | RuntimeException e) {
            return failed(s, st, e);
        }
    }

    private FilterVerdict failed(SessionInfo s, State st, Exception e) {
        boolean opened = breaker.failure();
        Log.LOG.warn("{}: milter {} failed: {}{}", s.sessionId(), name, e.toString(),
                opened ? "; skipping it for a while" : "");
        drop(st);
        st.txn = Txn.FAILED;
        st.failure = reason(e);
        return policyVerdict();
    }

    private static void drop(State st) {
        if (st.milter != null) {
            st.milter.close();
            st.milter = null;
        }
        st.open = false;
    }

    @Override
    public Outcome onData(SessionInfo s, Envelope envelope, MessageSource message) {
        State st = sessions.get(key(s));
        Txn txn = st == null ? Txn.NOT_APPLICABLE : st.txn;
        if (st != null) {
            st.txn = Txn.NONE;
        }
        switch (txn) {
            case ACCEPTED:
                return Outcome.scanned(ScanResult.of(ScanResult.Verdict.CLEAN));
            case DISCARD:
                return Outcome.scanned(ScanResult.of(ScanResult.Verdict.DISCARD));
            case FAILED:
                return Outcome.failed(st.failure);
            case ACTIVE:
                break;
            default:
                return Outcome.notApplicable();
        }
        try {
            if (message.size() > maxSize) {
                st.milter.abort();
                st.open = false;
                return Outcome.skipped("larger than " + maxSize + " bytes");
            }
            Map<String, String> macros = Map.of("i", envelope.transactionId());
            MilterSession.EndOfMessage eom = st.milter.message(message, macros, macros, spool,
                    Math.max(2 * message.size(), 1024 * 1024));
            st.open = false;
            breaker.success();
            return outcome(eom);
        } catch (IOException | RuntimeException e) {
            failed(s, st, e);
            return Outcome.failed(reason(e));
        }
    }

    private static Outcome outcome(MilterSession.EndOfMessage eom) {
        ScanResult.Verdict v = switch (eom.reply().kind()) {
            case REJECT -> ScanResult.Verdict.REJECT;
            case TEMPFAIL -> ScanResult.Verdict.TEMPFAIL;
            case DISCARD -> ScanResult.Verdict.DISCARD;
            default -> eom.quarantine() != null ? ScanResult.Verdict.QUARANTINE : ScanResult.Verdict.CLEAN;
        };
        ScanResult.Builder b = ScanResult.builder(v);
        if (eom.reply().reply() != null) {
            b.reply(eom.reply().reply());
        }
        eom.edits().forEach(b::edit);
        return new Outcome(Outcome.Status.SCANNED, b.build(), null, eom.body(), eom.added(), eom.deleted(),
                eom.quarantine());
    }

    @Override
    public void onDisconnect(SessionInfo s) {
        State st = sessions.remove(key(s));
        if (st != null && st.milter != null) {
            st.milter.quit();
            st.milter.close();
        }
    }

    /** Opens a connection, negotiates and says goodbye. */
    @Override
    public String ping() throws IOException {
        try (MilterSession m = MilterSession.open(endpoint, timeout, name)) {
            m.quit();
            return "negotiated milter protocol";
        }
    }

    /** The number of SMTP sessions with milter state (for tests: none may be left behind). */
    public int sessionsOpen() {
        return sessions.size();
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(MilterStep.class);
    }
}
