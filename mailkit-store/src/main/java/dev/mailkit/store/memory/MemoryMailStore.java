package dev.mailkit.store.memory;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.QuotaPolicy;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.internal.StoreSettings;
import dev.mailkit.store.internal.UidValidityGenerator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MailStore} that keeps everything in memory: the reference implementation of the mailbox model, for tests
 * and throwaway servers. It has exactly the semantics of mailkit's durable store (UIDs, MODSEQ, {@code \Recent},
 * change notification, quotas, name rules) but keeps nothing across restarts, and holds every message in the heap
 * (at most 2 GiB each). Copies between its mailboxes share the message bytes.
 *
 * <pre>{@code
 * MailStore store = MemoryMailStore.create();
 * try (Mailbox inbox = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
 *     long uid = inbox.append(MessageSource.ofText("Subject: hi\n\nhello\n"));
 * }
 * }</pre>
 *
 * <p>Defaults: the system clock; no quota; each account has only INBOX at first; mailboxes named {@code Drafts},
 * {@code Sent}, {@code Trash}, {@code Junk} and {@code Archive} get those special uses when created; at most
 * {@value Builder#DEFAULT_MAX_KEYWORDS} keywords per mailbox and {@value Builder#DEFAULT_MAX_MAILBOXES} mailboxes
 * per account.
 *
 * <p>Thread-safe.
 */
public final class MemoryMailStore implements MailStore {
    private final StoreSettings settings;
    private final UidValidityGenerator uidValidity;
    private final ConcurrentHashMap<AccountId, MemoryAccount> accounts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private MemoryMailStore(StoreSettings settings) {
        this.settings = settings;
        this.uidValidity = new UidValidityGenerator(settings.clock(), 0);
    }

    /** A store with the defaults. */
    public static MemoryMailStore create() {
        return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public MailAccount account(AccountId id) {
        Objects.requireNonNull(id, "id");
        if (closed) {
            throw new IllegalStateException("the in-memory mail store is closed");
        }
        return accounts.computeIfAbsent(id, k -> new MemoryAccount(k, settings, uidValidity));
    }

    /** The accounts that have been used so far, sorted. */
    public List<AccountId> accounts() {
        List<AccountId> ids = new ArrayList<>(accounts.keySet());
        ids.sort(null);
        return ids;
    }

    /** Drops every account and message. */
    @Override
    public void close() {
        closed = true;
        accounts.clear();
    }

    @Override
    public String toString() {
        return "MemoryMailStore{" + accounts.size() + " accounts}";
    }

    /** Configures a {@link MemoryMailStore}. Not thread-safe. */
    public static final class Builder {
        /** The default limit of keywords per mailbox. */
        public static final int DEFAULT_MAX_KEYWORDS = 256;
        /** The default limit of mailboxes per account. */
        public static final int DEFAULT_MAX_MAILBOXES = 10_000;

        private Clock clock = Clock.systemUTC();
        private QuotaPolicy quota = QuotaPolicy.unlimited();
        private final Map<MailboxName, Set<SpecialUse>> specialUse = new LinkedHashMap<>();
        private final List<MailboxName> autoCreate = new ArrayList<>();
        private int maxKeywords = DEFAULT_MAX_KEYWORDS;
        private int maxMailboxes = DEFAULT_MAX_MAILBOXES;

        private Builder() {
            specialUse.put(MailboxName.of("Drafts"), Set.of(SpecialUse.DRAFTS));
            specialUse.put(MailboxName.of("Sent"), Set.of(SpecialUse.SENT));
            specialUse.put(MailboxName.of("Trash"), Set.of(SpecialUse.TRASH));
            specialUse.put(MailboxName.of("Junk"), Set.of(SpecialUse.JUNK));
            specialUse.put(MailboxName.of("Archive"), Set.of(SpecialUse.ARCHIVE));
        }

        /** The time source for internal dates and UIDVALIDITY (default: the system clock, UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The quota of each account (default: unlimited). */
        public Builder quota(QuotaPolicy quota) {
            this.quota = Objects.requireNonNull(quota, "quota");
            return this;
        }

        /**
         * Gives mailboxes of this name these special uses when they are created without explicit ones
         * (replacing the default for that name; no uses removes it).
         */
        public Builder specialUse(String mailboxName, SpecialUse... uses) {
            MailboxName n = MailboxName.of(mailboxName);
            if (uses.length == 0) {
                specialUse.remove(n);
            } else {
                EnumSet<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
                set.addAll(List.of(uses));
                specialUse.put(n, set);
            }
            return this;
        }

        /** Creates this mailbox in every new account, besides INBOX. */
        public Builder autoCreate(String mailboxName) {
            MailboxName n = MailboxName.of(mailboxName);
            if (!n.isInbox() && !autoCreate.contains(n)) {
                autoCreate.add(n);
            }
            return this;
        }

        /** Creates Drafts, Sent, Trash, Junk and Archive in every new account. */
        public Builder standardMailboxes() {
            for (String n : List.of("Drafts", "Sent", "Trash", "Junk", "Archive")) {
                autoCreate(n);
            }
            return this;
        }

        /** The most keywords one mailbox may define (default {@value #DEFAULT_MAX_KEYWORDS}). */
        public Builder maxKeywordsPerMailbox(int max) {
            this.maxKeywords = max;
            return this;
        }

        /** The most mailboxes (and subscriptions) one account may have (default {@value #DEFAULT_MAX_MAILBOXES}). */
        public Builder maxMailboxesPerAccount(int max) {
            this.maxMailboxes = max;
            return this;
        }

        /**
         * The store.
         *
         * @throws IllegalStateException if a limit is out of range
         */
        public MemoryMailStore build() {
            if (maxKeywords < 0 || maxKeywords > 4096) {
                throw new IllegalStateException("maxKeywordsPerMailbox must be between 0 and 4096, was "
                        + maxKeywords);
            }
            if (maxMailboxes < 1) {
                throw new IllegalStateException("maxMailboxesPerAccount must be at least 1 (INBOX), was "
                        + maxMailboxes);
            }
            if (autoCreate.size() + 1 > maxMailboxes) {
                throw new IllegalStateException(autoCreate.size() + " auto-created mailboxes plus INBOX exceed "
                        + "maxMailboxesPerAccount " + maxMailboxes + "; raise the limit");
            }
            return new MemoryMailStore(new StoreSettings(clock, quota, specialUse, autoCreate, maxKeywords,
                    maxMailboxes));
        }
    }
}
