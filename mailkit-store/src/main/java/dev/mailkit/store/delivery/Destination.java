package dev.mailkit.store.delivery;

import dev.mailkit.core.MailAddress;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailboxName;

import java.util.Objects;

/**
 * One mailbox a recipient address resolves to (see {@link DeliveryAgent#resolve}): the account, the mailbox in it,
 * and the address the copy is delivered to (written into its {@code Delivered-To:} header).
 *
 * @param account     the owning account
 * @param mailbox     the mailbox ({@code INBOX}, or a folder through plus-addressing)
 * @param deliveredTo the address after alias expansion (the recipient as given for a user's own address)
 */
public record Destination(AccountId account, MailboxName mailbox, MailAddress deliveredTo) {
    /** Validates. */
    public Destination {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(deliveredTo, "deliveredTo");
    }
}
