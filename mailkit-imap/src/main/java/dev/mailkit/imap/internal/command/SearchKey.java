package dev.mailkit.imap.internal.command;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion (RFC 3501 6.4.4, RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER) as a tree of small immutable
 * records. Keys that are combinations of others (NEW = RECENT UNSEEN, OLD = NOT RECENT, UNSEEN = NOT SEEN, FROM =
 * HEADER FROM...) are expressed with the basic ones.
 */
public sealed interface SearchKey {
    /** ALL. */
    record All() implements SearchKey {
    }

    /** A system flag set ({@code set}) or not: ANSWERED, UNANSWERED, DELETED, ... RECENT, OLD. */
    record Flag(int flag, boolean set) implements SearchKey {
    }

    /** KEYWORD k / UNKEYWORD k. */
    record Keyword(String keyword, boolean set) implements SearchKey {
    }

    /** Which date a date key compares. */
    enum DateField { INTERNAL, SENT, SAVED }

    /** How a date key compares. */
    enum DateOp { BEFORE, ON, SINCE }

    /**
     * BEFORE/ON/SINCE (internal date), SENTBEFORE/SENTON/SENTSINCE (Date: header) and SAVEDBEFORE/SAVEDON/SAVEDSINCE
     * (save date, RFC 8514), by calendar date.
     */
    record Date(DateField field, DateOp op, LocalDate date) implements SearchKey {
    }

    /** SAVEDATESUPPORTED (RFC 8514): every message if the mailbox keeps save dates, else none. */
    record SaveDateSupported() implements SearchKey {
    }

    /** EMAILID id / THREADID id (RFC 8474). */
    record ObjectId(boolean thread, String id) implements SearchKey {
    }

    /** LARGER n / SMALLER n. */
    record Size(boolean larger, long octets) implements SearchKey {
    }

    /**
     * A header field contains the text (case-insensitive): HEADER f s, and FROM/TO/CC/BCC/SUBJECT with the field
     * name upper-cased. An empty value matches every message that has the field.
     */
    record Header(String field, String value) implements SearchKey {
    }

    /** BODY s ({@code bodyOnly}) or TEXT s (header and body). */
    record Text(boolean bodyOnly, String value) implements SearchKey {
    }

    /** A sequence set, or UID set. */
    record Sequence(SequenceSet set, boolean uid) implements SearchKey {
    }

    /** MODSEQ n: messages whose mod-sequence is at least n. */
    record ModSeq(long modseq) implements SearchKey {
    }

    /** OLDER n / YOUNGER n seconds (internal date). */
    record Within(boolean older, long seconds) implements SearchKey {
    }

    /** NOT k. */
    record Not(SearchKey key) implements SearchKey {
    }

    /** OR a b. */
    record Or(SearchKey a, SearchKey b) implements SearchKey {
    }

    /** All of the keys (a parenthesised list, or the top-level list). */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }
}
