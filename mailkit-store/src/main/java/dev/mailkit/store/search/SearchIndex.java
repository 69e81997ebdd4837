package dev.mailkit.store.search;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.UidSet;

import java.util.Optional;

/**
 * A full-text index that IMAP's {@code SEARCH BODY} and {@code SEARCH TEXT} ask instead of reading every message
 * (mailkit-search's {@code LuceneSearchIndex}; give it to {@code ImapServer.Builder.searchIndex}). Without one the
 * server reads the messages, which stays the default.
 *
 * <p>An index must answer exactly as reading would (RFC 3501 6.4.4 as mailkit implements it): a message matches
 * when the string occurs, ignoring case (each character folded as {@code toLowerCase(toUpperCase(c))}), within one
 * of its texts: for TEXT, each header field's name and each field's value with RFC 2047 encoded words decoded; for
 * both, each text part decoded from its transfer encoding and charset, and each header value of an attached message
 * ({@code message/rfc822}) and its text parts. An empty string matches every message. When it cannot answer a
 * question exactly (a string it cannot look up, a mailbox it has not caught up with and cannot now), it answers
 * empty and the server reads the messages.
 *
 * <p>Called from many sessions at once: implementations must be thread-safe.
 */
public interface SearchIndex {
    /**
     * The UIDs of the mailbox's messages that contain the string, as of now: messages added since the index last
     * looked are indexed first, and expunged ones are not returned.
     *
     * @param account  the mailbox's account
     * @param mailbox  the mailbox (an open handle, owned by the caller)
     * @param text     the string searched for
     * @param bodyOnly true for SEARCH BODY (the body only), false for SEARCH TEXT (header and body)
     * @return the matching UIDs, or empty if the index cannot answer (the caller then reads the messages)
     */
    Optional<UidSet> search(AccountId account, Mailbox mailbox, String text, boolean bodyOnly);
}
