package dev.mailkit.sieve;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One action a Sieve script decided on (RFC 5228 4, and the extensions' actions), as {@link SieveResult#actions()}
 * lists them, in the order the script took them, with duplicates merged as RFC 5228 2.10.3 allows.
 */
public sealed interface SieveAction {
    /** The line of the script that took the action. */
    int line();

    /**
     * Store the message into a mailbox: {@code keep} (the default mailbox: {@code mailbox} is empty) or
     * {@code fileinto}.
     *
     * @param mailbox the mailbox name as the script gave it, or "" for the default mailbox (keep)
     * @param flags   the IMAP flags to set (imap4flags), as the script gave them
     * @param create  whether to create the mailbox if missing ({@code :create}, RFC 5490)
     */
    record Store(String mailbox, List<String> flags, boolean create, int line) implements SieveAction {
        /** Validates. */
        public Store {
            Objects.requireNonNull(mailbox, "mailbox");
            flags = List.copyOf(flags);
        }

        /** Whether this is a keep (into the default mailbox). */
        public boolean isKeep() {
            return mailbox.isEmpty();
        }
    }

    /** Send the message on to another address ({@code redirect}). */
    record Redirect(String address, int line) implements SieveAction {
    }

    /** Refuse the message ({@code reject}, or {@code ereject} when {@code extended}). */
    record Reject(String reason, boolean extended, int line) implements SieveAction {
    }

    /** Throw the message away ({@code discard}): cancels the implicit keep, and nothing else. */
    record Discard(int line) implements SieveAction {
    }

    /**
     * Answer the sender with an auto-reply ({@code vacation}, RFC 5230), if the rules of RFC 5230 4.5 and 5 allow
     * (checked when the action is carried out: not to lists, bulk mail, null or own senders; once per period).
     *
     * @param reason    the text (or a MIME entity when {@code mime})
     * @param subject   the subject, or null for the default ("Auto: " and the original subject)
     * @param from      the From address, or null for the recipient
     * @param addresses the user's other addresses ({@code :addresses})
     * @param mime      whether the reason is a MIME entity
     * @param period    how long to remember the sender ({@code :days}/{@code :seconds})
     * @param handle    what identifies this reply in the memory of senders answered
     */
    record Vacation(String reason, String subject, String from, List<String> addresses, boolean mime,
                    Duration period, String handle, int line) implements SieveAction {
        /** Validates. */
        public Vacation {
            Objects.requireNonNull(reason, "reason");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(period, "period");
            Objects.requireNonNull(handle, "handle");
        }
    }
}
