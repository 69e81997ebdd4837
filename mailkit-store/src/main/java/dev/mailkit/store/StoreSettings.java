package dev.mailkit.store;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every mailkit store shares, validated and copied by {@link MailStoreBuilder}: what a store
 * implementation (mailkit's own, or one for another database) reads when it is built. Immutable.
 *
 * @param clock                  the time source (internal dates, UIDVALIDITY)
 * @param quota                  the quota policy
 * @param specialUse             special uses given to mailboxes of these names when they are created
 * @param autoCreate             mailboxes created with every account, besides INBOX
 * @param maxKeywordsPerMailbox  the most keywords one mailbox may define
 * @param maxMailboxesPerAccount the most mailboxes one account may have
 * @param metadataLimits         how much metadata (RFC 5464) one account may keep
 */
public record StoreSettings(Clock clock, QuotaPolicy quota, Map<MailboxName, Set<SpecialUse>> specialUse,
                            List<MailboxName> autoCreate, int maxKeywordsPerMailbox, int maxMailboxesPerAccount,
                            MetadataLimits metadataLimits) {
    /** Validates and copies. */
    public StoreSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(quota, "quota");
        specialUse = Map.copyOf(specialUse);
        autoCreate = List.copyOf(autoCreate);
        Objects.requireNonNull(metadataLimits, "metadataLimits");
    }

    /** Settings with the default {@link MetadataLimits}. */
    public StoreSettings(Clock clock, QuotaPolicy quota, Map<MailboxName, Set<SpecialUse>> specialUse,
                         List<MailboxName> autoCreate, int maxKeywordsPerMailbox, int maxMailboxesPerAccount) {
        this(clock, quota, specialUse, autoCreate, maxKeywordsPerMailbox, maxMailboxesPerAccount,
                MetadataLimits.DEFAULT);
    }

    /** The special uses configured for a name (empty if none). */
    public Set<SpecialUse> specialUseFor(MailboxName name) {
        return specialUse.getOrDefault(name, Set.of());
    }
}
