package dev.mailkit.store;

/**
 * An account's usage and limits (IMAP GETQUOTAROOT, and the delivery agent's RCPT-time check).
 *
 * @param usedBytes    octets held, over all mailboxes
 * @param usedMessages messages held, over all mailboxes
 * @param limits       the account's limits
 */
public record Quota(long usedBytes, long usedMessages, QuotaLimits limits) {
    /** Whether adding a message of this many octets would stay within the limits. */
    public boolean allows(long messageBytes) {
        return messageBytes <= limits.maxBytes() - usedBytes && usedMessages < limits.maxMessages();
    }

    /** Whether the account is at or over a limit already (no message of any size fits). */
    public boolean isFull() {
        return usedBytes >= limits.maxBytes() || usedMessages >= limits.maxMessages();
    }
}
