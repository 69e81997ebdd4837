package dev.mailkit.sieve;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.outbound.OutboundQueue;
import dev.mailkit.sieve.internal.exec.DeliveryActions;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryDecision;
import dev.mailkit.store.delivery.DeliveryRequest;
import dev.mailkit.store.delivery.DeliveryRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each user's active Sieve script at delivery: the {@link DeliveryRule} to give the delivery agent
 * ({@code DeliveryAgent.builder().deliveryRule(sieve)}). A user without a script gets the default (the copy into its
 * mailbox). A script that does not compile, or fails at run time, keeps the message (and the problem is logged with
 * its line), as Pigeonhole does.
 *
 * <pre>{@code
 * SieveScripts scripts = SieveScripts.maildir(data);          // ~/.dovecot.sieve in each account directory
 * SieveDelivery sieve = SieveDelivery.builder().scripts(scripts).outbound(relayQueue).build();
 * DeliveryAgent agent = DeliveryAgent.builder().store(store).users(users).deliveryRule(sieve).build();
 * }</pre>
 *
 * <h2>What each action does</h2>
 * <ul>
 *   <li>keep, fileinto (with {@code :flags}, {@code :copy}, {@code :create}) and the implicit keep: copies filed by
 *       the agent; a mailbox that does not exist, without {@code :create}, gets the copy in the default mailbox;</li>
 *   <li>reject and ereject: the recipient is refused in the SMTP session ({@code 550 5.7.1} and the reason);</li>
 *   <li>discard: no copy, the recipient counts as delivered;</li>
 *   <li>redirect: the message (with {@code X-Sieve-Redirected-From:} naming the user) is prepared on the outbound
 *       queue with the original reverse-path, and committed once the user's copies are stored. A message that
 *       already passed this user's redirect is kept instead (a loop);</li>
 *   <li>vacation: if RFC 5230's rules allow (see {@code VacationRules}) and the {@link VacationMemory} has no reply
 *       to the sender within the period, a reply from {@code <>} is queued once the copies are stored.</li>
 * </ul>
 * Without an outbound queue, a redirect fails the script (the message is kept) and a vacation reply is not sent.
 * Thread-safe.
 */
public final class SieveDelivery implements DeliveryRule {
    private static final Logger LOG = LoggerFactory.getLogger(SieveDelivery.class);
    static final int MAX_CACHED = 1000;

    private final SieveScriptStore scripts;
    private final Sieve sieve;
    private final OutboundQueue outbound;
    private final VacationMemory memory;
    private final DeliveryActions actions;
    private final ConcurrentHashMap<AccountId, Compiled> cache = new ConcurrentHashMap<>();

    private record Compiled(String source, SieveScript script) {
    }

    private SieveDelivery(Builder b) {
        this.scripts = b.scripts;
        this.sieve = b.sieve;
        this.outbound = b.outbound;
        this.memory = b.memory != null ? b.memory : b.scripts.vacationMemory().orElseThrow();
        this.actions = new DeliveryActions(b.outbound, this.memory, b.clock, b.hostName, b.random);
    }

    /** A builder; {@link Builder#scripts} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Where the scripts are. */
    public SieveScriptStore scripts() {
        return scripts;
    }

    @Override
    public DeliveryDecision decide(DeliveryRequest request) throws IOException {
        AccountId account = request.account().id();
        Optional<SieveScript> script = script(account);
        if (script.isEmpty()) {
            return DeliveryDecision.keep();
        }
        Envelope env = request.envelope();
        SieveEnvelope sieveEnvelope = new SieveEnvelope(env.reversePathString().equals("<>") ? ""
                : env.reversePath().map(MailAddress::toString).orElse(""), request.recipient().toString());
        SieveResult result = sieve.evaluate(script.get(), sieveEnvelope, request.message(),
                name -> exists(request, name));
        if (result.failure().isPresent()) {
            LOG.warn("sieve script of {} failed for {}: {}; the message is kept", account, env.transactionId(),
                    result.failure().get());
        }
        return actions.decision(request, sieveEnvelope, result);
    }

    private static boolean exists(DeliveryRequest request, String name) {
        try {
            return request.account().exists(MailboxName.of(name));
        } catch (MailStoreException e) {
            return false;
        }
    }

    /** The user's active script, compiled (cached while its source is unchanged and it includes nothing). */
    private Optional<SieveScript> script(AccountId account) throws IOException {
        Optional<String> source = scripts.activeSource(account);
        if (source.isEmpty()) {
            cache.remove(account);
            return Optional.empty();
        }
        Compiled c = cache.get(account);
        if (c != null && c.source().equals(source.get())) {
            return Optional.of(c.script());
        }
        try {
            SieveScript s = SieveScript.compile(SieveScripts.ACTIVE, source.get(), scripts.includes(account));
            if (s.capabilities().contains("include")) {
                cache.remove(account);
            } else {
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
                cache.put(account, new Compiled(source.get(), s));
            }
            return Optional.of(s);
        } catch (SieveCompileException e) {
            LOG.warn("the sieve script of {} does not compile; messages are kept until it is fixed:\n{}", account,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Refuses with the script's reason, made safe for an SMTP reply. */
    static SmtpReply rejection(String reason) {
        return DeliveryActions.rejection(reason);
    }

    @Override
    public String toString() {
        return "SieveDelivery{" + (outbound == null ? "no outbound queue" : "with outbound queue") + "}";
    }

    /** Configures a {@link SieveDelivery}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private SieveScriptStore scripts;
        private Sieve sieve = Sieve.builder().build();
        private OutboundQueue outbound;
        private VacationMemory memory;
        private Clock clock = Clock.systemUTC();
        private String hostName = "localhost";
        private Random random;

        private Builder() {
        }

        /**
         * Where users' scripts are (required), e.g. {@link SieveScripts#maildir}, or another
         * {@link SieveScriptStore} (mailkit-postgres's for several nodes).
         */
        public Builder scripts(SieveScriptStore scripts) {
            this.scripts = Objects.requireNonNull(scripts, "scripts");
            return this;
        }

        /** The interpreter and its limits (default: {@code Sieve.builder().build()}). */
        public Builder sieve(Sieve sieve) {
            this.sieve = Objects.requireNonNull(sieve, "sieve");
            return this;
        }

        /** Where redirects and vacation replies go (e.g. mailkit-relay's {@code RelayQueue}); default none. */
        public Builder outbound(OutboundQueue outbound) {
            this.outbound = Objects.requireNonNull(outbound, "outbound");
            return this;
        }

        /**
         * The memory of vacation replies (default: the script store's, {@link SieveScriptStore#vacationMemory()}:
         * {@code .mailkit-vacation} in each home for {@link SieveScripts}; required if the store keeps none).
         */
        public Builder vacationMemory(VacationMemory memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        /** The clock of vacation periods and replies' dates (default: the system's). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The host name in the Message-IDs of vacation replies (default {@code localhost}). */
        public Builder hostName(String hostName) {
            this.hostName = Objects.requireNonNull(hostName, "hostName");
            return this;
        }

        /** The randomness of Message-IDs (default a {@link SecureRandom}). */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * The rule.
         *
         * @throws IllegalStateException if no scripts are set or the host name is not a plain domain name
         */
        public SieveDelivery build() {
            if (scripts == null) {
                throw new IllegalStateException("SieveDelivery needs to know where scripts are: call scripts(...), "
                        + "e.g. SieveScripts.maildir(dataDirectory)");
            }
            if (memory == null && scripts.vacationMemory().isEmpty()) {
                throw new IllegalStateException("SieveDelivery needs to know where to remember vacation replies: "
                        + scripts + " keeps none; call vacationMemory(...)");
            }
            if (!hostName.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})")) {
                throw new IllegalStateException("hostName must be a domain name such as mail.example.com, was '"
                        + hostName + "'");
            }
            if (random == null) {
                random = new SecureRandom();
            }
            return new SieveDelivery(this);
        }
    }
}
