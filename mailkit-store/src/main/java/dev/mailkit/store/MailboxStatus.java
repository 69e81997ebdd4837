package dev.mailkit.store;

/**
 * The counters of a mailbox at one instant, as IMAP STATUS and SELECT report them. All counts are kept by the store,
 * so a status costs nothing per message.
 *
 * @param messages      the number of messages
 * @param recent        the number of messages that no session has seen yet ({@code \Recent})
 * @param uidNext       the UID the next message will get (UIDNEXT)
 * @param uidValidity   UIDVALIDITY
 * @param unseen        the number of messages without {@code \Seen}
 * @param deleted       the number of messages with {@code \Deleted}
 * @param size          the total size of the messages, in octets (STATUS SIZE)
 * @param highestModSeq the highest MODSEQ of any change so far (HIGHESTMODSEQ; at least 1)
 */
public record MailboxStatus(int messages, int recent, long uidNext, long uidValidity, int unseen, int deleted,
                            long size, long highestModSeq) {
}
