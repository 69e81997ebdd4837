package dev.mailkit.web.internal.api;

import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStore;
import dev.mailkit.web.DeliveryTrace;
import dev.mailkit.web.MailSender;
import dev.mailkit.web.TraceRecorder;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The web server's settings, copied from its builder at build(): nothing here changes afterwards. */
public final class WebSettings {
    public final MailStore store;
    public final UserDirectory users;
    public final List<AccountId> openAccounts;
    public final AuthFailurePenalty penalty;
    public final MailSender submission;
    public final MailSender release;
    public final DeliveryTrace trace;
    public final Object relayQueue; // a dev.mailkit.relay.RelayQueue, typed Object so that the relay stays optional
    public final Set<String> hostNames;
    public final String hostName;
    public final String label;
    public final Duration sessionIdle;
    public final Duration sessionMax;
    public final int indexedMailboxes;
    public final Clock clock;
    public final SecureRandom random;
    public final boolean tls;

    public WebSettings(MailStore store, UserDirectory users, List<AccountId> openAccounts, AuthFailurePenalty penalty,
                       MailSender submission, MailSender release, DeliveryTrace trace, Object relayQueue,
                       Set<String> hostNames, String hostName, String label, Duration sessionIdle,
                       Duration sessionMax, int indexedMailboxes, Clock clock, SecureRandom random, boolean tls) {
        this.store = store;
        this.users = users;
        this.openAccounts = List.copyOf(openAccounts);
        this.penalty = penalty;
        this.submission = submission;
        this.release = release;
        this.trace = trace;
        this.relayQueue = relayQueue;
        this.hostNames = Set.copyOf(hostNames);
        this.hostName = hostName;
        this.label = label;
        this.sessionIdle = sessionIdle;
        this.sessionMax = sessionMax;
        this.indexedMailboxes = indexedMailboxes;
        this.clock = clock;
        this.random = random;
        this.tls = tls;
    }

    /** Whether the server asks for no login (a test inbox). */
    public boolean open() {
        return !openAccounts.isEmpty();
    }

    /** The trace as a recorder the server may add its own submissions to, or null. */
    public TraceRecorder recorder() {
        return trace instanceof TraceRecorder ? (TraceRecorder) trace : null;
    }
}
