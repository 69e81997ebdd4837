package dev.mailkit.store;

/**
 * Decides the quota of each account. A store asks it whenever it checks a quota (every append and copy, and
 * {@link MailAccount#quota()}), so an implementation may look limits up in a directory; it must be fast and
 * thread-safe.
 */
@FunctionalInterface
public interface QuotaPolicy {
    /** The limits of the account. */
    QuotaLimits limits(AccountId account);

    /** No account has a limit. */
    static QuotaPolicy unlimited() {
        return dev.mailkit.store.internal.UnlimitedQuota.INSTANCE;
    }

    /** Every account has the same limits. */
    static QuotaPolicy of(QuotaLimits limits) {
        return account -> limits;
    }
}
