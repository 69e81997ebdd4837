package dev.mailkit.store;


import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the builder of every mailkit store configures: the clock, the quota, special uses, the mailboxes each new
 * account gets, and the limits. {@link dev.mailkit.store.memory.MemoryMailStore.Builder} and
 * {@link dev.mailkit.store.maildir.MaildirMailStore.Builder} add their own settings and build the store.
 *
 * <p>Defaults: the system clock; no quota; each account has only INBOX at first; mailboxes named {@code Drafts},
 * {@code Sent}, {@code Trash}, {@code Junk} and {@code Archive} get those special uses; at most
 * {@value #DEFAULT_MAX_KEYWORDS} keywords per mailbox and {@value #DEFAULT_MAX_MAILBOXES} mailboxes per account.
 * Not thread-safe.
 *
 * @param <B> the store's builder, which every setter returns
 */
public abstract class MailStoreBuilder<B extends MailStoreBuilder<B>> {
    /** The default limit of keywords per mailbox. */
    public static final int DEFAULT_MAX_KEYWORDS = 256;
    /** The default limit of mailboxes per account. */
    public static final int DEFAULT_MAX_MAILBOXES = 10_000;

    private Clock clock = Clock.systemUTC();
    private QuotaPolicy quota = QuotaPolicy.unlimited();
    private final Map<MailboxName, Set<SpecialUse>> specialUse = new LinkedHashMap<>();
    private final List<MailboxName> autoCreate = new ArrayList<>();
    private int maxKeywords = DEFAULT_MAX_KEYWORDS;
    private MetadataLimits metadataLimits = MetadataLimits.DEFAULT;
    private int maxMailboxes = DEFAULT_MAX_MAILBOXES;

    /** A builder with the defaults, for mailkit's stores. */
    protected MailStoreBuilder() {
        specialUse.put(MailboxName.of("Drafts"), Set.of(SpecialUse.DRAFTS));
        specialUse.put(MailboxName.of("Sent"), Set.of(SpecialUse.SENT));
        specialUse.put(MailboxName.of("Trash"), Set.of(SpecialUse.TRASH));
        specialUse.put(MailboxName.of("Junk"), Set.of(SpecialUse.JUNK));
        specialUse.put(MailboxName.of("Archive"), Set.of(SpecialUse.ARCHIVE));
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * The time source for internal dates and UIDVALIDITY, and for the Maildir store's file names (default: the
     * system clock, UTC).
     */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The quota of each account (default: unlimited). */
    public B quota(QuotaPolicy quota) {
        this.quota = Objects.requireNonNull(quota, "quota");
        return self();
    }

    /**
     * Gives mailboxes of this name these special uses when they are created without explicit ones, and, in the
     * Maildir store, folders that other programs created under this name (replacing the default for that name; no
     * uses removes it).
     */
    public B specialUse(String mailboxName, SpecialUse... uses) {
        MailboxName n = MailboxName.of(mailboxName);
        if (uses.length == 0) {
            specialUse.remove(n);
        } else {
            EnumSet<SpecialUse> set = EnumSet.noneOf(SpecialUse.class);
            set.addAll(List.of(uses));
            specialUse.put(n, set);
        }
        return self();
    }

    /** Creates this mailbox in every new account, besides INBOX. */
    public B autoCreate(String mailboxName) {
        MailboxName n = MailboxName.of(mailboxName);
        if (!n.isInbox() && !autoCreate.contains(n)) {
            autoCreate.add(n);
        }
        return self();
    }

    /** Creates Drafts, Sent, Trash, Junk and Archive in every new account. */
    public B standardMailboxes() {
        for (String n : List.of("Drafts", "Sent", "Trash", "Junk", "Archive")) {
            autoCreate(n);
        }
        return self();
    }

    /** The most keywords one mailbox may define (default {@value #DEFAULT_MAX_KEYWORDS}). */
    public B maxKeywordsPerMailbox(int max) {
        this.maxKeywords = max;
        return self();
    }

    /** The most mailboxes (and subscriptions) one account may have (default {@value #DEFAULT_MAX_MAILBOXES}). */
    public B maxMailboxesPerAccount(int max) {
        this.maxMailboxes = max;
        return self();
    }

    /**
     * How much metadata (RFC 5464 annotations) one account may keep (default {@link MetadataLimits#DEFAULT}: 1000
     * entries, 64 KiB a value, 1 MiB in all).
     */
    public B metadataLimits(MetadataLimits limits) {
        this.metadataLimits = Objects.requireNonNull(limits, "limits");
        return self();
    }

    /**
     * The settings, validated, for the store to be built with.
     *
     * @throws IllegalStateException if a limit is out of range
     */
    protected final StoreSettings settings() {
        if (maxKeywords < 0 || maxKeywords > 4096) {
            throw new IllegalStateException("maxKeywordsPerMailbox must be between 0 and 4096, was " + maxKeywords);
        }
        if (maxMailboxes < 1) {
            throw new IllegalStateException("maxMailboxesPerAccount must be at least 1 (INBOX), was "
                    + maxMailboxes);
        }
        if (autoCreate.size() + 1 > maxMailboxes) {
            throw new IllegalStateException(autoCreate.size() + " auto-created mailboxes plus INBOX exceed "
                    + "maxMailboxesPerAccount " + maxMailboxes + "; raise the limit");
        }
        return new StoreSettings(clock, quota, specialUse, autoCreate, maxKeywords, maxMailboxes,
                metadataLimits);
    }
}
