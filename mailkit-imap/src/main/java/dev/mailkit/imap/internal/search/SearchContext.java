package dev.mailkit.imap.internal.search;

import java.time.Instant;
import java.time.ZoneId;

/**
 * What a search needs besides the messages: the mailbox's size and highest UID (for {@code *}), the zone dates are
 * compared in, and the time (for OLDER/YOUNGER).
 */
public record SearchContext(long messageCount, long maxUid, ZoneId zone, Instant now) {
}
