package dev.mailkit.imap.internal.encode;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The IMAP date-time format for INTERNALDATE ({@code "17-Jul-1996 02:44:25 -0700"}), written without formatters. */
public final class ImapDates {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    private ImapDates() {
    }

    /** Writes a quoted date-time for the instant as seen at the offset. */
    public static void writeDateTime(ImapWriter w, Instant instant, ZoneOffset offset) throws IOException {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset);
        w.write('"');
        w.padded(t.getDayOfMonth(), 2).write('-').ascii(MONTHS[t.getMonthValue() - 1]).write('-')
                .padded(t.getYear(), 4).sp();
        w.padded(t.getHour(), 2).write(':').padded(t.getMinute(), 2).write(':').padded(t.getSecond(), 2).sp();
        int total = offset.getTotalSeconds() / 60;
        w.write(total < 0 ? '-' : '+');
        total = Math.abs(total);
        w.padded(total / 60, 2).padded(total % 60, 2);
        w.write('"');
    }

    /** The date-time as a string (for tests and logs). */
    public static String format(Instant instant, ZoneOffset offset) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, offset);
        int total = offset.getTotalSeconds() / 60;
        return String.format("%02d-%s-%04d %02d:%02d:%02d %s%02d%02d", t.getDayOfMonth(),
                MONTHS[t.getMonthValue() - 1], t.getYear(), t.getHour(), t.getMinute(), t.getSecond(),
                total < 0 ? "-" : "+", Math.abs(total) / 60, Math.abs(total) % 60);
    }

    /** The SEARCH date form {@code 1-Feb-1994}. */
    public static String formatDate(LocalDate d) {
        return d.getDayOfMonth() + "-" + MONTHS[d.getMonthValue() - 1] + "-" + d.getYear();
    }
}
