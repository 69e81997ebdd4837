package dev.mailkit.store.internal;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.QuotaLimits;
import dev.mailkit.store.QuotaPolicy;

/**
 * The policy of {@link QuotaPolicy#unlimited()}: no account has a limit. A class rather than a lambda, because every
 * store asks for it when it is built, and each lambda costs a fresh JVM's first server start a generated class.
 * Immutable.
 */
public final class UnlimitedQuota implements QuotaPolicy {
    /** The one instance. */
    public static final QuotaPolicy INSTANCE = new UnlimitedQuota();

    private UnlimitedQuota() {
    }

    @Override
    public QuotaLimits limits(AccountId account) {
        return QuotaLimits.UNLIMITED;
    }
}
