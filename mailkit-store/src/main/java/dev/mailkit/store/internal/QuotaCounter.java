package dev.mailkit.store.internal;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Quota;
import dev.mailkit.store.QuotaLimits;
import dev.mailkit.store.QuotaPolicy;

import java.util.concurrent.locks.ReentrantLock;

/**
 * An account's usage (octets and messages over all its mailboxes), checked against its {@link QuotaPolicy} when
 * space is reserved. Thread-safe; the lock is held only for arithmetic.
 */
public final class QuotaCounter {
    private final AccountId account;
    private final QuotaPolicy policy;
    private final Runnable complete;
    private final ReentrantLock lock = new ReentrantLock();
    private long bytes;
    private long messages;

    /**
     * A counter starting at zero. {@code complete} is run (outside this counter's lock) before usage is reported or
     * checked against a limit, and must make sure every mailbox has been counted (for a store that counts an
     * account's mailboxes only as it loads them; others do nothing).
     */
    public QuotaCounter(AccountId account, QuotaPolicy policy, Runnable complete) {
        this.account = account;
        this.policy = policy;
        this.complete = complete;
    }

    /**
     * Adds usage, checking the limits first if {@code enforce}.
     *
     * @throws MailStoreException ({@code OVER_QUOTA}) if enforced and over a limit; nothing is added then
     */
    public void reserve(long addBytes, long addMessages, boolean enforce) {
        QuotaLimits limits = enforce ? policy.limits(account) : null;
        if (limits != null && limits.isLimited()) {
            complete.run();
        }
        lock.lock();
        try {
            if (enforce) {
                if (addBytes > limits.maxBytes() - bytes) {
                    throw new MailStoreException(MailStoreException.Reason.OVER_QUOTA, "over quota: " + account
                            + " holds " + bytes + " of " + limits.maxBytes() + " octets and " + addBytes
                            + " more do not fit; expunge messages to make room");
                }
                if (addMessages > limits.maxMessages() - messages) {
                    throw new MailStoreException(MailStoreException.Reason.OVER_QUOTA, "over quota: " + account
                            + " holds " + messages + " of " + limits.maxMessages()
                            + " messages; expunge messages to make room");
                }
            }
            bytes += addBytes;
            messages += addMessages;
        } finally {
            lock.unlock();
        }
    }

    /** Removes usage. */
    public void release(long removeBytes, long removeMessages) {
        lock.lock();
        try {
            bytes -= removeBytes;
            messages -= removeMessages;
        } finally {
            lock.unlock();
        }
    }

    /** The usage and limits now. */
    public Quota quota() {
        QuotaLimits limits = policy.limits(account);
        complete.run();
        lock.lock();
        try {
            return new Quota(bytes, messages, limits);
        } finally {
            lock.unlock();
        }
    }
}
