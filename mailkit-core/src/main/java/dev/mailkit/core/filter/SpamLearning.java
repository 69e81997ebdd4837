package dev.mailkit.core.filter;

import dev.mailkit.core.MessageSource;

/**
 * Teaches a content scanner what a user thinks of a message, as Dovecot's IMAPSieve anti-spam set-up does: an IMAP
 * server calls {@link #learnSpam} when the user moves (or copies) a message into the Junk mailbox, and
 * {@link #learnHam} when the user moves it out of Junk into another mailbox than Trash. Implementations talk to the
 * scanner (Rspamd's {@code learnspam}/{@code learnham}, spamd's {@code TELL}); failures are theirs to log: learning
 * must never make the user's command fail. Called from many sessions at once: implementations must be thread-safe,
 * and must not keep the message beyond the call.
 */
public interface SpamLearning {
    /**
     * The user marked the message as spam.
     *
     * @param user    the logged-in user (as the IMAP server knows the login)
     * @param message the message's content
     */
    void learnSpam(String user, MessageSource message);

    /**
     * The user marked the message as not spam.
     *
     * @param user    the logged-in user
     * @param message the message's content
     */
    void learnHam(String user, MessageSource message);
}
