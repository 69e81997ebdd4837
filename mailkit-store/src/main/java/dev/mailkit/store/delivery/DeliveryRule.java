package dev.mailkit.store.delivery;

import java.io.IOException;

/**
 * Decides, for one user's copy of a message, what the delivery agent does with it: file it into one or more of the
 * user's mailboxes (with flags), refuse it for that recipient, or store nothing (discard), and what happens once the
 * copies are stored (a redirect or an auto-reply committed). mailkit-sieve's {@code SieveDelivery} runs the user's
 * Sieve script here.
 *
 * <p>The agent calls the rule once per copy it would file (one per account and target mailbox), after resolving the
 * recipient and after any {@link dev.mailkit.core.sink.MailboxRule} chose the default mailbox. Called from many
 * sessions at once: implementations must be thread-safe and must not keep the message beyond the call except through
 * the decision's completion hooks.
 */
@FunctionalInterface
public interface DeliveryRule {
    /**
     * The decision for one copy.
     *
     * @throws IOException if the rule cannot decide now (the recipient gets a temporary failure and the sender
     *                     retries)
     */
    DeliveryDecision decide(DeliveryRequest request) throws IOException;
}
