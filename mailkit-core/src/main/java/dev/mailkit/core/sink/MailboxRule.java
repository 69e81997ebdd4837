package dev.mailkit.core.sink;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;

import java.util.Optional;

/**
 * Chooses another mailbox for one recipient's copy of a message at delivery, for example the user's {@code Junk}
 * mailbox for a message a content scanner marked as spam. A delivery agent asks the rule for each copy it would file
 * into a user's INBOX; the rule answers with a mailbox name (as IMAP shows it, e.g. {@code Junk}), or empty to keep
 * INBOX. Called from many sessions at once: implementations must be thread-safe, quick, and must not keep the
 * message beyond the call.
 */
@FunctionalInterface
public interface MailboxRule {
    /**
     * The mailbox this recipient's copy goes into instead of INBOX.
     *
     * @param recipient the address the copy is delivered to, after alias expansion (the user's address)
     * @param message   the message as the SMTP server accepted it (its header fields, including any a filter added,
     *                  are at the top)
     * @return a mailbox name, or empty for INBOX
     */
    Optional<String> mailboxFor(MailAddress recipient, MessageSource message);
}
