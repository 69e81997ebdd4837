package dev.mailkit.store.delivery;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailboxName;

import java.util.Objects;

/**
 * What a {@link DeliveryRule} is asked about: one copy of a message for one user.
 *
 * @param envelope          the transaction's envelope (reverse-path, all recipients)
 * @param originalRecipient the forward-path the client named that led to this copy
 * @param recipient         the address the copy is delivered to, after alias expansion (its {@code Delivered-To:})
 * @param account           the user's account
 * @param defaultMailbox    where the copy goes unless the rule decides otherwise (INBOX, a plus folder, or the
 *                          mailbox a {@code MailboxRule} chose)
 * @param message           the message as received (without the {@code Return-Path:}/{@code Delivered-To:} the
 *                          agent prepends); valid during the call only, unless retained
 */
public record DeliveryRequest(Envelope envelope, MailAddress originalRecipient, MailAddress recipient,
                              MailAccount account, MailboxName defaultMailbox, MessageSource message) {
    /** Validates. */
    public DeliveryRequest {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(originalRecipient, "originalRecipient");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(defaultMailbox, "defaultMailbox");
        Objects.requireNonNull(message, "message");
    }
}
