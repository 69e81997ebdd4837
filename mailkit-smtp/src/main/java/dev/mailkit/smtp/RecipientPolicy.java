package dev.mailkit.smtp;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.SessionInfo;

import java.util.Optional;

/**
 * Decides whether a recipient in a local domain exists. Called at RCPT time for recipients whose domain is local;
 * remote recipients are governed by the relay rules, never by this policy. Must be thread-safe.
 *
 * <p>Without a policy every address in the local domains passes this step; the sink may still refuse it
 * ({@link dev.mailkit.core.sink.MessageSink#checkRecipient}), as mailkit's delivery agent does for unknown users.
 */
@FunctionalInterface
public interface RecipientPolicy {
    /**
     * @return empty to accept, or the reply to refuse with (e.g. {@code 550 5.1.1 No such user})
     */
    Optional<SmtpReply> check(SessionInfo session, MailAddress recipient);

    /** Accepts every recipient in the local domains (a catch-all). */
    static RecipientPolicy acceptAll() {
        return (s, r) -> Optional.empty();
    }

    /** Accepts only addresses that belong to a user of the directory; others get {@code 550 5.1.1}. */
    static RecipientPolicy existingUsers(UserDirectory users) {
        return (s, r) -> users.findByAddress(r).isPresent() ? Optional.empty()
                : Optional.of(SmtpReply.of(550, "5.1.1", "<" + r + ">: no such user here"));
    }
}
