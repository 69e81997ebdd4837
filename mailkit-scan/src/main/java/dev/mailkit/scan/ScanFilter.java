package dev.mailkit.scan;

import dev.mailkit.core.Arguments;
import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.scan.internal.Breaker;
import dev.mailkit.scan.internal.MessageEditor;
import dev.mailkit.scan.internal.MessageHeader;
import dev.mailkit.scan.internal.MilterStep;
import dev.mailkit.scan.internal.Outcome;
import dev.mailkit.scan.internal.ScanHeaders;
import dev.mailkit.scan.internal.ScannerStep;
import dev.mailkit.scan.internal.Step;
import dev.mailkit.scan.internal.Texts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Content filtering on the SMTP receiver: runs the configured scanners ({@link RspamdClient}, {@link SpamdClient},
 * {@link ClamdClient}, any {@link Scanner}) and milters ({@link MilterClient}) in order at the end of DATA, so a
 * refusal reaches the sending server before {@code 250} and nothing refused is stored. Milters also take part at
 * MAIL FROM and RCPT TO (a milter can refuse one recipient).
 *
 * <pre>{@code
 * ScanFilter scan = ScanFilter.builder()
 *         .hostName("mx.example.com")
 *         .scanner(RspamdClient.builder("http://127.0.0.1:11333").build())
 *         .scanner(ClamdClient.builder("unix:/run/clamav/clamd.ctl").build())
 *         .milter(MilterClient.builder("127.0.0.1:8891").name("opendkim").build())
 *         .build();
 * SmtpServer.builder().filters(scan)...
 * }</pre>
 *
 * <h2>One verdict per transaction</h2>
 * The first scanner that refuses decides: a virus gets {@code 554 5.7.1 Virus found: NAME}, spam a scanner refuses
 * {@code 550 5.7.1}, a temporary refusal (Rspamd's {@code soft reject}, {@code greylist}) {@code 451 4.7.1}; a discard
 * or a quarantine is {@code 250} for a message nobody gets (a quarantined one is held in the {@link Quarantine}
 * first). With {@link Builder#quarantineRefused} refused spam and viruses are held instead. Otherwise the message is
 * delivered with the header edits the scanners asked for, each scanner seeing the message as the ones before it left
 * it, and with the filter's own header fields at the top:
 * <pre>
 * X-Spam-Flag: YES
 * X-Spam-Score: 7.3
 * X-Spam-Level: *******
 * X-Spam-Status: Yes, score=7.3 required=6 tests=BAYES_SPAM,MISSING_DATE scanner=rspamd
 * X-Scan-Results: mx.example.com; rspamd=spam (score=7.3 required=6); clamd=clean
 * </pre>
 * (the X-Spam fields from the first scanner that scores; X-Spam-Flag is YES if any scanner says spam). Copies of these
 * fields already in a message are removed first: they could be forged. A delivery agent files flagged mail into the
 * user's Junk mailbox with {@link JunkFolder}.
 *
 * <h2>When a scanner is down, slow, or the message is big</h2>
 * Each scanner has {@link ScanOptions}: its {@link FailurePolicy} (by default {@code 451 4.7.1}: nothing is lost;
 * or accept with {@code X-Scan-Results: ...; clamd=unscanned (timeout)}), a size limit (bigger messages skip it:
 * {@code clamd=skipped (larger than 26214400 bytes)}), and a circuit breaker (after 3 failures in a row it is skipped
 * for 30 s, its failure policy applied at once, instead of costing every session its timeout).
 *
 * <h2>Authenticated submissions</h2>
 * Not scanned unless {@link Builder#scanOutbound}; then Rspamd is told the user ({@code User}) and milters get
 * {@code {auth_authen}}, as outbound scanning (and DKIM signing by OpenDKIM or Rspamd) needs.
 *
 * <p>Nothing a scanner says reaches a header field or a reply unchecked: rule names are restricted to
 * {@code [A-Za-z0-9_.+:-]}, texts to printable ASCII of bounded length, header edits to well-formed fields (see
 * {@link HeaderEdit}), answers to bounded sizes. Thread-safe.
 */
public final class ScanFilter implements MailFilter {
    private final List<Step> steps;
    private final boolean scanOutbound;
    private final String hostName;
    private final Quarantine quarantine;
    private final boolean quarantineRefused;

    private ScanFilter(Builder b, List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.scanOutbound = b.scanOutbound;
        this.hostName = b.hostName;
        this.quarantine = b.quarantine;
        this.quarantineRefused = b.quarantineRefused;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    private boolean applies(SessionInfo s) {
        return scanOutbound || s.authenticatedUser().isEmpty();
    }

    @Override
    public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> reversePath, Map<String, String> params) {
        boolean scanned = applies(s);
        for (Step step : steps) {
            FilterVerdict v = step.onMailFrom(s, reversePath, params, scanned);
            if (!v.isAccept()) {
                return v;
            }
        }
        return FilterVerdict.accept();
    }

    @Override
    public FilterVerdict onRcptTo(SessionInfo s, MailAddress recipient, Map<String, String> params) {
        for (Step step : steps) {
            FilterVerdict v = step.onRcptTo(s, recipient, params);
            if (!v.isAccept()) {
                return v;
            }
        }
        return FilterVerdict.accept();
    }

    @Override
    public void onDisconnect(SessionInfo s) {
        for (Step step : steps) {
            try {
                step.onDisconnect(s);
            } catch (RuntimeException e) {
                Log.LOG.debug("{}: {} cleanup failed: {}", s.sessionId(), step.name(), e.toString());
            }
        }
    }

    @Override
    public FilterVerdict onData(SessionInfo s, Envelope envelope, MessageSource message) {
        Run run = new Run(s, envelope, message);
        try {
            return run.scan();
        } catch (IOException | RuntimeException e) {
            Log.LOG.error("{}: content scan of {} failed", s.sessionId(), envelope.transactionId(), e);
            return FilterVerdict.tempFail(451, "4.3.0", "Temporary local problem, try again later");
        } finally {
            run.close();
        }
    }

    /** One transaction's scan: the message as the scanners have left it so far, and what each said. */
    private final class Run {
        final SessionInfo session;
        Envelope envelope;
        MessageSource current;
        MessageSource owned;
        final List<MailAddress> recipients;
        boolean recipientsChanged;
        final List<ScanHeaders.Entry> entries = new ArrayList<>();
        final List<ScanHeaders.Scored> scored = new ArrayList<>();

        Run(SessionInfo session, Envelope envelope, MessageSource message) {
            this.session = session;
            this.envelope = envelope;
            this.current = message;
            this.recipients = new ArrayList<>(envelope.recipients());
        }

        FilterVerdict scan() throws IOException {
            if (!applies(session)) {
                for (Step step : steps) {
                    if (step instanceof MilterStep) {
                        step.onData(session, envelope, current); // forgets the transaction it was not asked about
                    }
                }
                return FilterVerdict.accept();
            }
            for (Step step : steps) {
                Outcome o = step.onData(session, envelope, current);
                switch (o.status()) {
                    case NOT_APPLICABLE:
                        continue;
                    case SKIPPED:
                        entries.add(new ScanHeaders.Entry(step.name(), "skipped", o.reason()));
                        continue;
                    case FAILED:
                        if (step.policy() == FailurePolicy.TEMPFAIL) {
                            return FilterVerdict.tempFail(451, "4.7.1", "Content scanner " + step.name()
                                    + " unavailable, try again later");
                        }
                        entries.add(new ScanHeaders.Entry(step.name(), "unscanned", o.reason()));
                        continue;
                    default:
                        break;
                }
                FilterVerdict refusal = apply(step, o);
                if (refusal != null) {
                    return refusal;
                }
            }
            return deliver();
        }

        /** Takes one scanner's answer in: a verdict that ends the transaction, or null to go on. */
        private FilterVerdict apply(Step step, Outcome o) throws IOException {
            ScanResult r = o.result();
            entries.add(ScanHeaders.scanned(step.name(), r));
            if (r.score().isPresent() || r.verdict() == ScanResult.Verdict.SPAM) {
                scored.add(new ScanHeaders.Scored(step.name(), r));
            }
            try {
                switch (r.verdict()) {
                    case REJECT:
                        return refuse(step, r, r.reply().filter(SmtpReply::isPermanentFailure).orElse(
                                SmtpReply.of(550, "5.7.1", "Message refused by content filter")), "spam");
                    case VIRUS:
                        return refuse(step, r, r.reply().filter(SmtpReply::isPermanentFailure).orElse(
                                SmtpReply.of(554, "5.7.1", "Virus found: " + r.virus().orElse("unnamed"))),
                                "virus " + r.virus().orElse("unnamed"));
                    case TEMPFAIL:
                        SmtpReply t = r.reply().filter(SmtpReply::isTransientFailure)
                                .orElse(SmtpReply.of(451, "4.7.1", "Try again later"));
                        return FilterVerdict.tempFail(t.code(), t.enhancedStatus(), t.text());
                    case DISCARD:
                        Log.LOG.info("{}: {} discarded by {}", session.sessionId(), envelope.transactionId(),
                                step.name());
                        return FilterVerdict.discard();
                    case QUARANTINE:
                        return hold(step.name() + ": " + (o.quarantine() == null ? "quarantine" : o.quarantine()),
                                SmtpReply.of(554, "5.7.1", "Message refused by content filter"));
                    default:
                        break;
                }
                edit(r.edits(), o.newBody());
                recipients(o);
                return recipients.isEmpty() ? FilterVerdict.discard() : null;
            } finally {
                if (o.newBody() != null) {
                    o.newBody().close();
                }
            }
        }

        private FilterVerdict refuse(Step step, ScanResult r, SmtpReply reply, String what) throws IOException {
            if (quarantineRefused && quarantine != null) {
                return hold(step.name() + ": " + what, reply);
            }
            Log.LOG.info("{}: {} from {} refused by {}: {}", session.sessionId(), envelope.transactionId(),
                    envelope.reversePathString(), step.name(), r);
            return FilterVerdict.reject(reply.code(), reply.enhancedStatus(), reply.text());
        }

        /** Holds the message in the quarantine (then 250, delivered to nobody), or refuses it without one. */
        private FilterVerdict hold(String reason, SmtpReply otherwise) throws IOException {
            if (quarantine == null) {
                Log.LOG.info("{}: {} would be quarantined ({}), but there is no quarantine: refused",
                        session.sessionId(), envelope.transactionId(), reason);
                return FilterVerdict.reject(otherwise.code(), otherwise.enhancedStatus(), otherwise.text());
            }
            try (MessageSource held = MessageEditor.apply(current, List.of(), null,
                    ScanHeaders.fields(hostName, entries, scored), ScanHeaders.OWNED)) {
                String id = quarantine.hold(envelope.withRecipients(recipients), held, reason);
                Log.LOG.info("{}: {} held in the quarantine as {}: {}", session.sessionId(), envelope.transactionId(),
                        id, reason);
            } catch (IOException e) {
                Log.LOG.error("{}: cannot quarantine {}: {}", session.sessionId(), envelope.transactionId(),
                        e.toString());
                return FilterVerdict.tempFail(451, "4.3.0", "Temporary local problem, try again later");
            }
            return FilterVerdict.discard();
        }

        private void edit(List<HeaderEdit> edits, MessageSource newBody) throws IOException {
            if (edits.isEmpty() && newBody == null) {
                return;
            }
            MessageSource next = MessageEditor.apply(current, edits, newBody, List.of(), java.util.Set.of());
            if (owned != null) {
                owned.close();
            }
            owned = next;
            current = next;
        }

        private void recipients(Outcome o) {
            for (String d : o.deleted()) {
                recipients.removeIf(r -> r.toString().equalsIgnoreCase(d));
                recipientsChanged = true;
            }
            for (String a : o.added()) {
                try {
                    MailAddress m = MailAddress.parse(a);
                    if (!recipients.contains(m)) {
                        recipients.add(m);
                        recipientsChanged = true;
                    }
                } catch (IllegalArgumentException e) {
                    Log.LOG.warn("{}: a milter added '{}', which is no address; ignored", session.sessionId(),
                            Texts.printable(a, 80));
                }
            }
            if (recipientsChanged && !recipients.isEmpty()) {
                envelope = envelope.withRecipients(recipients);
            }
        }

        private FilterVerdict deliver() throws IOException {
            List<String[]> top = ScanHeaders.fields(hostName, entries, scored);
            FilterVerdict v = FilterVerdict.accept();
            if (owned == null && !MessageHeader.of(current).hasAny(ScanHeaders.OWNED)) {
                for (String[] h : top) {
                    v = v.withHeader(h[0], h[1]);
                }
            } else {
                v = v.withMessage(MessageEditor.apply(current, List.of(), null, top, ScanHeaders.OWNED));
            }
            return recipientsChanged ? v.withRecipients(recipients) : v;
        }

        void close() {
            if (owned != null) {
                owned.close();
            }
        }
    }

    /**
     * Asks every scanner and milter whether it answers (its own ping, within its timeout), and reports each one's
     * circuit breaker.
     */
    public List<ScannerHealth> health() {
        List<ScannerHealth> out = new ArrayList<>();
        for (Step step : steps) {
            String detail;
            boolean up;
            try {
                detail = Texts.printable(step.ping(), 200);
                up = true;
            } catch (IOException | RuntimeException e) {
                detail = Step.reason(e) + ": " + Texts.printable(e.getMessage(), 200);
                up = false;
            }
            out.add(new ScannerHealth(step.name(), up, detail, Optional.ofNullable(step.breaker().openUntil())));
        }
        return out;
    }

    /** The number of SMTP sessions for which milters hold state (none once every session has ended). */
    public int milterSessions() {
        int n = 0;
        for (Step step : steps) {
            if (step instanceof MilterStep m) {
                n += m.sessionsOpen();
            }
        }
        return n;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        steps.forEach(s -> names.add(s.name()));
        return "ScanFilter" + names;
    }

    static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 40 || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
            throw new IllegalArgumentException("a scanner name is 1 to 40 letters, digits, '-', '.' or '_', was '"
                    + Texts.printable(name, 50) + "'");
        }
        return name;
    }

    /** Configures a {@link ScanFilter}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        /** A scanner or a milter, with its own options or null for the filter's defaults. */
        private record Spec(Scanner scanner, MilterClient milter, ScanOptions options) {
        }

        private final List<Spec> steps = new ArrayList<>();
        private FailurePolicy failurePolicy = FailurePolicy.TEMPFAIL;
        private long maxMessageSize = -1;
        private boolean scanOutbound;
        private String hostName = "localhost";
        private Quarantine quarantine;
        private boolean quarantineRefused;
        private MessageSpool spool;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A content scanner, with the filter's default options. */
        public Builder scanner(Scanner scanner) {
            steps.add(new Spec(Objects.requireNonNull(scanner, "scanner"), null, null));
            return this;
        }

        /** A content scanner with its own options. */
        public Builder scanner(Scanner scanner, ScanOptions options) {
            steps.add(new Spec(Objects.requireNonNull(scanner, "scanner"), null, Objects.requireNonNull(options,
                    "options")));
            return this;
        }

        /** A milter, with the filter's default options. */
        public Builder milter(MilterClient milter) {
            steps.add(new Spec(null, Objects.requireNonNull(milter, "milter"), null));
            return this;
        }

        /** A milter with its own options. */
        public Builder milter(MilterClient milter, ScanOptions options) {
            steps.add(new Spec(null, Objects.requireNonNull(milter, "milter"), Objects.requireNonNull(options,
                    "options")));
            return this;
        }

        /** The failure policy of scanners added without options (default {@link FailurePolicy#TEMPFAIL}). */
        public Builder onFailure(FailurePolicy policy) {
            this.failurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The size limit of scanners added without options (default: each scanner's own). */
        public Builder maxMessageSize(long octets) {
            this.maxMessageSize = Arguments.positive(octets, "maxMessageSize");
            return this;
        }

        /** Whether mail from authenticated users (submission) is scanned too (default false). */
        public Builder scanOutbound(boolean scan) {
            this.scanOutbound = scan;
            return this;
        }

        /** This server's name: the authserv-id of {@code X-Scan-Results} and milters' {@code j} (default localhost). */
        public Builder hostName(String hostName) {
            Objects.requireNonNull(hostName, "hostName");
            if (hostName.isEmpty() || !hostName.chars().allMatch(c -> c > 32 && c < 127 && c != ';')) {
                throw new IllegalArgumentException("hostName must be a host name such as mx.example.com, was '"
                        + Texts.printable(hostName, 60) + "'");
            }
            this.hostName = hostName;
            return this;
        }

        /** Where quarantined messages are held (default: none; a quarantine request is then refused). */
        public Builder quarantine(Quarantine quarantine) {
            this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
            return this;
        }

        /** Hold refused spam and viruses in the quarantine (accepted with 250) instead of refusing them. */
        public Builder quarantineRefused(boolean hold) {
            this.quarantineRefused = hold;
            return this;
        }

        /** Where replaced message bodies are spooled (default: a temporary spool). */
        public Builder spool(MessageSpool spool) {
            this.spool = Objects.requireNonNull(spool, "spool");
            return this;
        }

        /** The clock of the circuit breakers (default the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalStateException if no scanner or milter is configured, two have the same name, or
         *                               quarantineRefused is set without a quarantine
         */
        public ScanFilter build() {
            if (steps.isEmpty()) {
                throw new IllegalStateException("a scan filter needs at least one scanner or milter: add scanner(...) "
                        + "or milter(...)");
            }
            if (quarantineRefused && quarantine == null) {
                throw new IllegalStateException("quarantineRefused(true) needs quarantine(...), e.g. "
                        + "FileQuarantine.open(directory)");
            }
            MessageSpool sp = spool == null ? MessageSpool.temporary() : spool;
            List<Step> built = new ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (Spec s : steps) {
                ScanOptions o = s.options() != null ? s.options()
                        : ScanOptions.defaults().onFailure(failurePolicy).maxMessageSize(maxMessageSize);
                Breaker breaker = new Breaker(o.breakerFailures(), o.breakerOpenFor(), clock);
                Step step;
                if (s.scanner() != null) {
                    long max = o.maxMessageSize() > 0 ? o.maxMessageSize() : s.scanner().maxMessageSize();
                    step = new ScannerStep(s.scanner(), o.failurePolicy(), max, breaker);
                } else {
                    MilterClient m = s.milter();
                    long max = o.maxMessageSize() > 0 ? o.maxMessageSize() : Long.MAX_VALUE;
                    step = new MilterStep(m.name(), m.endpoint(), m.timeout(), hostName, sp, o.failurePolicy(), max,
                            breaker);
                }
                if (!names.add(step.name())) {
                    throw new IllegalStateException("two scanners are named '" + step.name() + "': give one another "
                            + "name with its builder's name(...)");
                }
                built.add(step);
            }
            return new ScanFilter(this, built);
        }
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ScanFilter.class);
    }
}
