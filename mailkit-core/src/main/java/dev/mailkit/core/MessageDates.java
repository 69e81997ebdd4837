package dev.mailkit.core;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;

/**
 * Formats the RFC 5322 section 3.3 {@code date-time} that mail headers carry ({@code Received:}, {@code Date:},
 * DSNs): {@code Tue, 8 Dec 2026 02:49:36 +0000}, day without a leading zero, English names, numeric zone.
 * <p>
 * The same text as {@code DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT)}, written with
 * plain arithmetic: a server writes one per message, and the formatter's generic machinery cost more CPU than the
 * rest of the {@code Received:} header and one of the largest JIT compilations of the receiving path. The text of the
 * last second formatted is kept, so a busy server formats each second once.
 * <p>
 * Thread-safe (the cache is one immutable object behind a volatile reference). Years outside 0 to 9999 are
 * written as {@link ZonedDateTime} would, with the generic formatter.
 */
public final class MessageDates {
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};
    private static final java.time.format.DateTimeFormatter GENERIC =
            java.time.format.DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", java.util.Locale.ROOT);

    private record Last(long second, ZoneId zone, String text) {
    }

    private static volatile Last last = new Last(Long.MIN_VALUE, ZoneOffset.UTC, "");

    private MessageDates() {
    }

    /** The date-time of {@code instant} in {@code zone}. */
    public static String format(Instant instant, ZoneId zone) {
        long second = instant.getEpochSecond();
        Last l = last;
        if (l.second == second && l.zone.equals(zone)) {
            return l.text;
        }
        String text = format(ZonedDateTime.ofInstant(Instant.ofEpochSecond(second), zone));
        last = new Last(second, zone, text);
        return text;
    }

    /** The date-time of {@code t} (its fraction of a second is dropped). */
    public static String format(ZonedDateTime t) {
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return GENERIC.format(t);
        }
        StringBuilder sb = new StringBuilder(31);
        sb.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ").append(t.getDayOfMonth()).append(' ')
                .append(MONTHS[t.getMonthValue() - 1]).append(' ');
        pad(sb, year, 4);
        sb.append(' ');
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.get(ChronoField.SECOND_OF_MINUTE), 2);
        int offset = t.getOffset().getTotalSeconds();
        sb.append(offset < 0 ? " -" : " +");
        int abs = Math.abs(offset);
        pad(sb, abs / 3600, 2);
        pad(sb, abs / 60 % 60, 2);
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int value, int width) {
        for (int d = width == 4 ? 1000 : 10; d > 1 && value < d; d /= 10) {
            sb.append('0');
        }
        sb.append(value);
    }
}
