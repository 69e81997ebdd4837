package dev.mailkit.store.delivery;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MailboxRule;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery agent: the {@link MessageSink} that files each accepted message into the mailboxes of its
 * recipients, durably, before the SMTP server says {@code 250}.
 *
 * <pre>{@code
 * DeliveryAgent agent = DeliveryAgent.builder()
 *         .store(MaildirMailStore.builder(data).build())
 *         .users(users)                                      // who has a mailbox
 *         .alias("team@example.com", "ann@example.com", "bob@example.com")
 *         .catchAll("example.com", "postmaster@example.com")
 *         .plusAddressFolders(true)                          // ann+news@ into ann's folder "news" if it exists
 *         .build();
 * SmtpServer smtp = SmtpServer.builder().localDomains("example.com").users(users).sink(agent).build().start();
 * }</pre>
 *
 * <h2>How a recipient address resolves</h2>
 * <ol>
 *   <li>an alias (from {@link Builder#alias}, or the {@link AliasResolver}): each target is resolved in turn
 *       (one-to-many, recursively, at most {@value Builder#DEFAULT_MAX_ALIAS_DEPTH} levels); a loop is cut where it
 *       closes, and an address that resolves to nothing but loops is refused with {@code 554 5.4.6};</li>
 *   <li>a user of the {@link UserDirectory} ({@code findByAddress}): the user's INBOX (the account of the user's
 *       primary address);</li>
 *   <li>plus-addressing: {@code ann+tag@example.com} resolves as {@code ann@example.com}; with
 *       {@link Builder#plusAddressFolders} into ann's mailbox {@code tag} when it exists (not her Drafts or Sent);</li>
 *   <li>the domain's catch-all address, if one is set;</li>
 *   <li>otherwise nothing: refused at RCPT with {@code 550 5.1.1}.</li>
 * </ol>
 * Targets outside the users and aliases (another domain, say) are dropped with a warning: an alias never makes
 * mailkit relay.
 *
 * <h2>What each copy gets</h2>
 * One copy per distinct mailbox, however many recipients or aliases lead to it, with {@code Return-Path:} (the
 * reverse-path) and {@code Delivered-To:} (the address after alias expansion) prepended. A message that already
 * carries {@code Delivered-To:} for that address is refused for it ({@code 554 5.4.6}, a forwarding loop).
 * A {@link DeliveryRule} (a user's Sieve script) may file a copy into other mailboxes, with flags, discard it or
 * refuse the recipient; its completion hooks run once the copies are stored.
 *
 * <h2>Failures</h2>
 * A recipient whose account is full is refused at RCPT time with {@code 452 4.2.2} (temporary: the sender retries;
 * nothing is lost). At delivery, every account is checked first; a recipient any of whose mailboxes cannot take the
 * message gets a temporary failure and none of its copies is written, so a retry duplicates nothing. A failure
 * for one recipient never affects the others' copies; the {@link DeliveryReport} names the recipients that failed,
 * and the SMTP server turns it into its reply.
 *
 * <p>Defaults: no aliases, no catch-all, plus-addressing on with {@code +} into INBOX, {@code Return-Path:} and
 * {@code Delivered-To:} on. Immutable and thread-safe.
 */
public final class DeliveryAgent implements MessageSink {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAgent.class);

    private final MailStore store;
    private final RecipientResolver recipients;
    private final CopyFiler filer;

    private DeliveryAgent(Builder b) {
        this.store = b.store;
        this.recipients = new RecipientResolver(b.store, b.users, b.aliases, b.resolver, b.catchAll, b.delimiters,
                b.plusFolders, b.maxDepth);
        this.filer = new CopyFiler(b.store, b.returnPath, b.deliveredTo, b.mailboxRule, b.deliveryRule);
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store mail is filed into. */
    public MailStore store() {
        return store;
    }

    /**
     * The mailboxes mail for an address is filed into (empty if the address is unknown), without delivering
     * anything. Useful to show where an address leads.
     */
    public List<Destination> resolve(MailAddress recipient) {
        return List.copyOf(recipients.resolve(recipient).destinations.values());
    }

    // ================================================================================================ RCPT

    /**
     * Refuses, at RCPT time, an address that resolves to no mailbox ({@code 550 5.1.1}, or {@code 554 5.4.6} for a
     * loop) and one whose account is full ({@code 452 4.2.2}, or if the MAIL FROM {@code SIZE} would not fit).
     */
    @Override
    public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
        RecipientResolver.Resolution r = recipients.resolveOrRefuse(recipient);
        if (r.refusal != null) {
            return Optional.of(r.refusal);
        }
        long size = declaredSize(transaction);
        Set<AccountId> seen = new HashSet<>();
        for (Destination d : r.destinations.values()) {
            if (!seen.add(d.account())) {
                continue;
            }
            try {
                Quota q = store.account(d.account()).quota();
                if (q.isFull() || (size > 0 && !q.allows(size))) {
                    return Optional.of(SmtpReply.of(452, "4.2.2", "<" + recipient
                            + ">: mailbox full, try again later"));
                }
            } catch (MailStoreException e) {
                LOG.warn("cannot check the quota of {}: {}", d.account(), e.getMessage());
                return Optional.of(SmtpReply.of(451, "4.3.0", "<" + recipient + ">: temporary local problem"));
            }
        }
        return Optional.empty();
    }

    private static long declaredSize(Envelope transaction) {
        try {
            return transaction.mailParameter("SIZE").map(Long::parseLong).orElse(0L);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    // ================================================================================================ delivery

    /**
     * Files one copy per distinct mailbox, each durably, and reports the recipients that failed (see the class
     * description).
     */
    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
        Map<MailAddress, SmtpReply> failed = new LinkedHashMap<>();
        Map<RecipientResolver.Key, CopyFiler.Copy> copies = new LinkedHashMap<>();
        for (MailAddress rcpt : envelope.recipients()) {
            RecipientResolver.Resolution r = recipients.resolveOrRefuse(rcpt);
            if (r.refusal != null) {
                failed.put(rcpt, r.refusal);
                continue;
            }
            for (Map.Entry<RecipientResolver.Key, Destination> e : r.destinations.entrySet()) {
                copies.computeIfAbsent(e.getKey(), k -> new CopyFiler.Copy(e.getValue())).recipients.add(rcpt);
            }
        }
        filer.fileAll(envelope, message, copies.values(), failed);
        if (failed.isEmpty()) {
            return DeliveryReport.allDelivered(envelope.transactionId());
        }
        DeliveryReport.Builder report = DeliveryReport.builder().queueId(envelope.transactionId());
        failed.forEach(report::failed);
        return report.build();
    }

    @Override
    public String toString() {
        return "DeliveryAgent{" + store + ", " + recipients.aliasCount() + " aliases, catch-all for "
                + recipients.catchAllDomains() + "}";
    }

    // ================================================================================================ builder

    /** Configures a {@link DeliveryAgent}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        /** The default limit of nested aliases. */
        public static final int DEFAULT_MAX_ALIAS_DEPTH = 10;

        private MailStore store;
        private UserDirectory users = UserDirectory.empty();
        private final Map<String, List<MailAddress>> aliases = new LinkedHashMap<>();
        private final Map<String, String> aliasNames = new LinkedHashMap<>();
        private AliasResolver resolver = AliasResolver.none();
        private final Map<String, MailAddress> catchAll = new LinkedHashMap<>();
        private String delimiters = "+";
        private boolean plusFolders;
        private boolean returnPath = true;
        private boolean deliveredTo = true;
        private int maxDepth = DEFAULT_MAX_ALIAS_DEPTH;
        private MailboxRule mailboxRule;
        private DeliveryRule deliveryRule;

        private Builder() {
        }

        /** The store to file mail into (required). */
        public Builder store(MailStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The users who have mailboxes (default: none, so only aliases and catch-alls to... nobody). */
        public Builder users(UserDirectory users) {
            this.users = Objects.requireNonNull(users, "users");
            return this;
        }

        /**
         * An alias: mail for {@code address} goes to every target (users, or further aliases). Repeating an alias
         * adds targets.
         *
         * @throws IllegalArgumentException if an address does not parse
         */
        public Builder alias(String address, String... targets) {
            MailAddress a = parse(address, "alias");
            if (targets.length == 0) {
                throw new IllegalArgumentException("alias " + address + " needs at least one target");
            }
            List<MailAddress> list = aliases.computeIfAbsent(a.lookupKey(), k -> new ArrayList<>());
            aliasNames.put(a.lookupKey(), address);
            for (String t : targets) {
                list.add(parse(t, "alias target of " + address));
            }
            return this;
        }

        /** Aliases looked up elsewhere, after those given with {@link #alias} (default: none). */
        public Builder aliases(AliasResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * The catch-all of a domain: mail for any unknown address in {@code domain} goes to {@code target} (a user or
         * an alias).
         */
        public Builder catchAll(String domain, String target) {
            Objects.requireNonNull(domain, "domain");
            if (domain.isEmpty() || domain.contains("@")) {
                throw new IllegalArgumentException("catchAll needs a domain such as example.com, was '" + domain + "'");
            }
            catchAll.put(MailAddress.canonicalDomain(domain), parse(target, "catch-all target of " + domain));
            return this;
        }

        /**
         * The characters that start an address extension ({@code ann+tag@}); empty turns plus-addressing off
         * (default {@code +}; Postfix's {@code recipient_delimiter}).
         */
        public Builder recipientDelimiters(String delimiters) {
            this.delimiters = Objects.requireNonNull(delimiters, "delimiters");
            return this;
        }

        /**
         * Whether {@code user+tag@domain} goes into the user's mailbox named {@code tag} when it exists (and is not
         * the user's Drafts or Sent); default false (always INBOX).
         */
        public Builder plusAddressFolders(boolean on) {
            this.plusFolders = on;
            return this;
        }

        /** Whether to prepend {@code Return-Path: <reverse-path>} (default true). */
        public Builder returnPath(boolean on) {
            this.returnPath = on;
            return this;
        }

        /**
         * Whether to prepend {@code Delivered-To:} and refuse messages that already carry it for the same address
         * (default true).
         */
        public Builder deliveredTo(boolean on) {
            this.deliveredTo = on;
            return this;
        }

        /**
         * Chooses another mailbox than INBOX for a user's copy, e.g. mailkit-scan's {@code JunkFolder} files spam
         * into {@code Junk} (default: none, always INBOX). A mailbox the rule names is created if it does not exist.
         */
        public Builder mailboxRule(MailboxRule rule) {
            this.mailboxRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * Decides what happens to each user's copy: the mailboxes and flags it is filed with, a refusal, or a
         * discard (default: none, every copy into its mailbox). mailkit-sieve's {@code SieveDelivery} runs the
         * user's Sieve script here. It is asked after the {@link #mailboxRule}, whose choice is the rule's default
         * mailbox.
         */
        public Builder deliveryRule(DeliveryRule rule) {
            this.deliveryRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** The deepest alias nesting followed (default {@value #DEFAULT_MAX_ALIAS_DEPTH}). */
        public Builder maxAliasDepth(int depth) {
            this.maxDepth = depth;
            return this;
        }

        private static MailAddress parse(String address, String what) {
            try {
                return MailAddress.parse(Objects.requireNonNull(address, what));
            } catch (MailAddressException e) {
                throw new IllegalArgumentException(what + " '" + address + "' is not a mail address: "
                        + e.getMessage(), e);
            }
        }

        /**
         * The agent.
         *
         * @throws IllegalStateException if no store is set, the depth is out of range, or the aliases given here
         *                               form a loop (which is named)
         */
        public DeliveryAgent build() {
            if (store == null) {
                throw new IllegalStateException("a delivery agent needs a store: call store(...)");
            }
            if (maxDepth < 1 || maxDepth > 100) {
                throw new IllegalStateException("maxAliasDepth must be between 1 and 100, was " + maxDepth);
            }
            for (char c : delimiters.toCharArray()) {
                if (c <= ' ' || c == '@' || c == '"' || c >= 0x7f) {
                    throw new IllegalStateException("recipient delimiter '" + c + "' cannot be used; use + or -");
                }
            }
            new AliasLoops(aliases, aliasNames).check();
            Map<String, List<MailAddress>> frozen = new LinkedHashMap<>();
            aliases.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            aliases.clear();
            aliases.putAll(frozen);
            return new DeliveryAgent(this);
        }
    }
}
