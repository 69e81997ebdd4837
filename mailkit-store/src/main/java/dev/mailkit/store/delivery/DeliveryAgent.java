package dev.mailkit.store.delivery;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MailboxRule;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.Quota;
import dev.mailkit.store.SpecialUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
    private final UserDirectory users;
    private final Map<String, List<MailAddress>> aliases;
    private final AliasResolver resolver;
    private final Map<String, MailAddress> catchAll;
    private final String delimiters;
    private final boolean plusFolders;
    private final boolean returnPath;
    private final boolean deliveredTo;
    private final int maxDepth;
    private final MailboxRule mailboxRule;

    private DeliveryAgent(Builder b) {
        this.store = b.store;
        this.users = b.users;
        this.aliases = Map.copyOf(b.aliases);
        this.resolver = b.resolver;
        this.catchAll = Map.copyOf(b.catchAll);
        this.delimiters = b.delimiters;
        this.plusFolders = b.plusFolders;
        this.returnPath = b.returnPath;
        this.deliveredTo = b.deliveredTo;
        this.maxDepth = b.maxDepth;
        this.mailboxRule = b.mailboxRule;
    }

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store mail is filed into. */
    public MailStore store() {
        return store;
    }

    // ================================================================================================ resolving

    /** The outcome of resolving one address. */
    private static final class Resolution {
        final LinkedHashMap<Key, Destination> destinations = new LinkedHashMap<>();
        boolean loop;
    }

    /** One mailbox. */
    private record Key(AccountId account, MailboxName mailbox) {
    }

    /**
     * The mailboxes mail for an address is filed into (empty if the address is unknown), without delivering
     * anything. Useful to show where an address leads.
     */
    public List<Destination> resolve(MailAddress recipient) {
        return List.copyOf(resolveFully(recipient).destinations.values());
    }

    private Resolution resolveFully(MailAddress recipient) {
        Resolution r = new Resolution();
        expand(recipient, 0, new HashSet<>(), r, true);
        return r;
    }

    private void expand(MailAddress address, int depth, Set<String> path, Resolution out, boolean allowCatchAll) {
        String key = address.lookupKey();
        if (depth > maxDepth || !path.add(key)) {
            out.loop = true;
            LOG.warn("alias loop: {} leads back to itself (or deeper than {} levels); that branch is dropped",
                    address, maxDepth);
            return;
        }
        try {
            List<MailAddress> targets = aliasTargets(address);
            if (!targets.isEmpty()) {
                for (MailAddress t : targets) {
                    expand(t, depth + 1, path, out, true);
                }
                return;
            }
            Optional<MailUser> user = users.findByAddress(address);
            if (user.isPresent()) {
                add(out, user.get(), MailboxName.INBOX, address);
                return;
            }
            if (plus(address, depth, path, out)) {
                return;
            }
            MailAddress fallback = allowCatchAll ? catchAll.get(address.domainLowerCase()) : null;
            if (fallback != null) {
                expand(fallback, depth + 1, path, out, false);
                return;
            }
            if (depth > 0) {
                LOG.warn("alias target {} is neither a local user nor an alias; it gets no copy (aliases never relay)",
                        address);
            }
        } finally {
            path.remove(key);
        }
    }

    private List<MailAddress> aliasTargets(MailAddress address) {
        List<MailAddress> fixed = aliases.get(address.lookupKey());
        if (fixed != null) {
            return fixed;
        }
        List<MailAddress> dynamic = resolver.targets(address);
        return dynamic == null ? List.of() : dynamic;
    }

    /** Plus-addressing: user+tag@domain as user@domain (into folder tag if configured and present). */
    private boolean plus(MailAddress address, int depth, Set<String> path, Resolution out) {
        if (delimiters.isEmpty()) {
            return false;
        }
        String local = address.localPart();
        int cut = -1;
        for (int i = 0; i < local.length(); i++) {
            if (delimiters.indexOf(local.charAt(i)) >= 0) {
                cut = i;
                break;
            }
        }
        if (cut <= 0) {
            return false;
        }
        MailAddress base;
        try {
            base = address.withLocalPart(local.substring(0, cut));
        } catch (MailAddressException e) {
            return false;
        }
        String tag = local.substring(cut + 1);
        Resolution inner = new Resolution();
        expand(base, depth + 1, path, inner, false);
        out.loop |= inner.loop;
        if (inner.destinations.isEmpty()) {
            return false;
        }
        for (Destination d : inner.destinations.values()) {
            MailboxName box = plusFolders && !tag.isEmpty() && d.mailbox().isInbox() ? folderFor(d.account(), tag)
                    : d.mailbox();
            out.destinations.putIfAbsent(new Key(d.account(), box), new Destination(d.account(), box, address));
        }
        return true;
    }

    /** The folder named by a plus tag, if it exists and is not Drafts or Sent; otherwise INBOX. */
    private MailboxName folderFor(AccountId account, String tag) {
        try {
            MailboxName name = MailboxName.of(tag);
            if (name.isInbox()) {
                return MailboxName.INBOX;
            }
            for (MailboxInfo i : store.account(account).list()) {
                if (i.name().equals(name) && i.selectable()) {
                    Set<SpecialUse> u = i.specialUse();
                    return u.contains(SpecialUse.DRAFTS) || u.contains(SpecialUse.SENT) ? MailboxName.INBOX : name;
                }
            }
        } catch (MailStoreException e) {
            // not a valid mailbox name: INBOX
        }
        return MailboxName.INBOX;
    }

    private void add(Resolution out, MailUser user, MailboxName mailbox, MailAddress deliveredTo) {
        AccountId account = AccountId.of(user);
        out.destinations.putIfAbsent(new Key(account, mailbox), new Destination(account, mailbox, deliveredTo));
    }

    // ================================================================================================ RCPT

    /**
     * Refuses, at RCPT time, an address that resolves to no mailbox ({@code 550 5.1.1}, or {@code 554 5.4.6} for a
     * loop) and one whose account is full ({@code 452 4.2.2}, or if the MAIL FROM {@code SIZE} would not fit).
     */
    @Override
    public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
        Resolution r;
        try {
            r = resolveFully(recipient);
        } catch (MailStoreException e) {
            return Optional.of(SmtpReply.of(550, "5.1.3", "<" + recipient + ">: cannot have a mailbox here"));
        }
        if (r.destinations.isEmpty()) {
            return Optional.of(r.loop ? SmtpReply.of(554, "5.4.6", "<" + recipient + ">: alias loop")
                    : SmtpReply.of(550, "5.1.1", "<" + recipient + ">: no such user here"));
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

    /** One mailbox to file a copy into, and the recipients that lead to it. */
    private static final class Copy {
        final Destination destination;
        final List<MailAddress> recipients = new ArrayList<>(1);

        Copy(Destination destination) {
            this.destination = destination;
        }
    }

    /**
     * Files one copy per distinct mailbox, each durably, and reports the recipients that failed (see the class
     * description).
     */
    @Override
    public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
        Map<MailAddress, SmtpReply> failed = new LinkedHashMap<>();
        LinkedHashMap<Key, Copy> copies = new LinkedHashMap<>();
        Map<MailAddress, List<Copy>> byRecipient = new HashMap<>();
        for (MailAddress rcpt : envelope.recipients()) {
            Resolution r;
            try {
                r = resolveFully(rcpt);
            } catch (MailStoreException e) {
                failed.put(rcpt, SmtpReply.of(550, "5.1.3", "<" + rcpt + ">: cannot have a mailbox here"));
                continue;
            }
            if (r.destinations.isEmpty()) {
                failed.put(rcpt, r.loop ? SmtpReply.of(554, "5.4.6", "<" + rcpt + ">: alias loop")
                        : SmtpReply.of(550, "5.1.1", "<" + rcpt + ">: no such user here"));
                continue;
            }
            List<Copy> mine = new ArrayList<>(r.destinations.size());
            for (Map.Entry<Key, Destination> e : r.destinations.entrySet()) {
                Copy c = copies.computeIfAbsent(e.getKey(), k -> new Copy(e.getValue()));
                c.recipients.add(rcpt);
                mine.add(c);
            }
            byRecipient.put(rcpt, mine);
        }
        Set<String> loops = deliveredTo && !copies.isEmpty() ? deliveredToValues(message) : Set.of();
        byte[] returnPathLine = returnPath ? HeaderFields.line("Return-Path", envelope.reversePathString())
                : new byte[0];
        // first check every account, so that a recipient fails before any of its copies is written
        long size = message.size() + returnPathLine.length + 200;
        Map<AccountId, Boolean> room = new HashMap<>();
        for (Copy c : copies.values()) {
            AccountId a = c.destination.account();
            boolean fits = room.computeIfAbsent(a, id -> fits(id, size));
            if (!fits) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, SmtpReply.of(452, "4.2.2", "<" + rcpt + ">: mailbox full, try again "
                            + "later"));
                }
            }
            if (loops.contains(c.destination.deliveredTo().lookupKey())) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, SmtpReply.of(554, "5.4.6", "<" + rcpt + ">: mail forwarding loop (the "
                            + "message was already delivered to " + c.destination.deliveredTo() + ")"));
                }
            }
        }
        for (Copy c : copies.values()) {
            boolean wanted = false;
            for (MailAddress rcpt : c.recipients) {
                wanted |= !failed.containsKey(rcpt);
            }
            if (!wanted) {
                continue;
            }
            SmtpReply error = file(c.destination, envelope, message, returnPathLine);
            if (error != null) {
                for (MailAddress rcpt : c.recipients) {
                    failed.putIfAbsent(rcpt, error);
                }
            }
        }
        if (failed.isEmpty()) {
            return DeliveryReport.allDelivered(envelope.transactionId());
        }
        DeliveryReport.Builder report = DeliveryReport.builder().queueId(envelope.transactionId());
        failed.forEach(report::failed);
        return report.build();
    }

    private boolean fits(AccountId account, long size) {
        try {
            return store.account(account).quota().allows(size);
        } catch (MailStoreException e) {
            return true; // the append reports the real problem
        }
    }

    private static Set<String> deliveredToValues(MessageSource message) {
        try {
            List<String> values = HeaderFields.values(message, "Delivered-To");
            if (values.isEmpty()) {
                return Set.of();
            }
            Set<String> out = new HashSet<>();
            for (String v : values) {
                String s = v.trim();
                if (s.startsWith("<") && s.endsWith(">")) {
                    s = s.substring(1, s.length() - 1);
                }
                out.add(s.toLowerCase(Locale.ROOT));
            }
            return out;
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Files one copy; returns null, or the reply for its recipients if it could not be stored. */
    private SmtpReply file(Destination d, Envelope envelope, MessageSource message, byte[] returnPathLine) {
        byte[] prefix = returnPathLine;
        if (deliveredTo) {
            byte[] dt = HeaderFields.line("Delivered-To", d.deliveredTo().toString());
            prefix = new byte[returnPathLine.length + dt.length];
            System.arraycopy(returnPathLine, 0, prefix, 0, returnPathLine.length);
            System.arraycopy(dt, 0, prefix, returnPathLine.length, dt.length);
        }
        try (MessageSource copy = prefix.length == 0 ? message.retain() : message.withPrefix(prefix)) {
            MailAccount account = store.account(d.account());
            MailboxName box = d.mailbox();
            if (!box.isInbox() && !account.exists(box)) {
                box = MailboxName.INBOX; // the plus folder was deleted meanwhile
            }
            if (box.isInbox() && mailboxRule != null) {
                box = ruleMailbox(account, d, message);
            }
            try (Mailbox mailbox = account.open(box)) {
                mailbox.append(copy);
            }
            return null;
        } catch (MailStoreException e) {
            switch (e.reason()) {
                case OVER_QUOTA:
                    return SmtpReply.of(452, "4.2.2", "mailbox of " + d.deliveredTo() + " is full, try again later");
                case INVALID_NAME:
                    return SmtpReply.of(550, "5.1.3", "<" + d.deliveredTo() + ">: cannot have a mailbox here");
                default:
                    LOG.error("delivery of {} to {} failed: {}", envelope.transactionId(), d, e.getMessage(), e);
                    return SmtpReply.of(451, "4.3.0", "temporary failure storing the message for "
                            + d.deliveredTo() + ", try again later");
            }
        } catch (RuntimeException e) {
            LOG.error("delivery of {} to {} failed", envelope.transactionId(), d, e);
            return SmtpReply.of(451, "4.3.0", "temporary failure storing the message for " + d.deliveredTo()
                    + ", try again later");
        }
    }

    /** The mailbox the rule chooses (created if missing), or INBOX if it chooses none or one that cannot be. */
    private MailboxName ruleMailbox(MailAccount account, Destination d, MessageSource message) {
        Optional<String> name = mailboxRule.mailboxFor(d.deliveredTo(), message);
        if (name.isEmpty()) {
            return MailboxName.INBOX;
        }
        try {
            MailboxName box = MailboxName.of(name.get());
            if (!account.exists(box)) {
                account.create(box, box.toString().equalsIgnoreCase("Junk") ? Set.of(SpecialUse.JUNK) : Set.of());
            }
            return box;
        } catch (MailStoreException e) {
            LOG.warn("mailbox rule chose '{}' for {}, which cannot be used ({}); INBOX instead", name.get(),
                    d.deliveredTo(), e.getMessage());
            return MailboxName.INBOX;
        }
    }

    @Override
    public String toString() {
        return "DeliveryAgent{" + store + ", " + aliases.size() + " aliases, catch-all for " + catchAll.keySet() + "}";
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
            catchAll.put(domain.toLowerCase(Locale.ROOT), parse(target, "catch-all target of " + domain));
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
            checkAliasLoops();
            Map<String, List<MailAddress>> frozen = new LinkedHashMap<>();
            aliases.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            aliases.clear();
            aliases.putAll(frozen);
            return new DeliveryAgent(this);
        }

        private void checkAliasLoops() {
            Set<String> done = new HashSet<>();
            for (String start : aliases.keySet()) {
                Deque<String> path = new ArrayDeque<>();
                loop(start, path, new LinkedHashSet<>(), done);
            }
        }

        private void loop(String key, Deque<String> path, Set<String> onPath, Set<String> done) {
            if (onPath.contains(key)) {
                List<String> cycle = new ArrayList<>();
                boolean in = false;
                for (String p : path) {
                    in |= p.equals(key);
                    if (in) {
                        cycle.add(aliasNames.getOrDefault(p, p));
                    }
                }
                cycle.add(aliasNames.getOrDefault(key, key));
                throw new IllegalStateException("alias loop: " + String.join(" -> ", cycle)
                        + "; remove one of these aliases");
            }
            if (done.contains(key) || !aliases.containsKey(key)) {
                return;
            }
            onPath.add(key);
            path.addLast(key);
            for (MailAddress t : aliases.get(key)) {
                loop(t.lookupKey(), path, onPath, done);
            }
            path.removeLast();
            onPath.remove(key);
            done.add(key);
        }
    }
}
