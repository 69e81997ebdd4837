package dev.mailkit.imap.internal.search;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A Date: header's date and time in seconds since the epoch (RFC 5322 3.3 and its obsolete forms), for SORT DATE and
 * THREAD's ordering: [day-of-week ","] day month year hour ":" minute [":" second] [zone], the zone numeric or a
 * name (UT, GMT, the US zones; military letters count as UTC). Unparseable dates give {@link #INVALID}. Stateless.
 */
public final class MessageDate {
    /** What {@link #parse} returns when there is no date to be read. */
    public static final long INVALID = Long.MIN_VALUE;
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private MessageDate() {
    }

    /** The date in epoch seconds, or {@link #INVALID}. */
    public static long parse(String v) {
        if (v == null) {
            return INVALID;
        }
        Cursor c = new Cursor(v);
        c.space();
        if (c.letter()) {
            c.word();
            c.space();
            if (c.peek() == ',') {
                c.i++;
            }
            c.space();
        }
        int day = c.number(2);
        c.space();
        String mon = c.word();
        int month = mon.length() >= 3 ? MONTHS.indexOf(mon.substring(0, 3).toLowerCase(Locale.ROOT)) : -1;
        c.space();
        int yearDigits = c.i;
        int year = c.number(4);
        yearDigits = c.i - yearDigits;
        c.space();
        int hour = c.number(2);
        if (day < 1 || month < 0 || month % 3 != 0 || year < 0 || hour < 0 || c.peek() != ':') {
            return INVALID;
        }
        c.i++;
        int minute = c.number(2);
        int second = 0;
        if (c.peek() == ':') {
            c.i++;
            second = c.number(2);
        }
        if (minute < 0 || second < 0) {
            return INVALID;
        }
        if (yearDigits == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (yearDigits == 3) {
            year += 1900;
        }
        c.space();
        int offset = zone(c);
        try {
            return LocalDateTime.of(year, month / 3 + 1, day, hour, minute, Math.min(second, 59))
                    .toEpochSecond(ZoneOffset.UTC) - offset;
        } catch (DateTimeException e) {
            return INVALID;
        }
    }

    /** The zone's offset from UTC in seconds (0 when absent or unknown). */
    private static int zone(Cursor c) {
        int ch = c.peek();
        if (ch == '+' || ch == '-') {
            c.i++;
            int start = c.i;
            int hhmm = c.number(4);
            if (hhmm < 0 || c.i - start != 4) {
                return 0;
            }
            int secs = (hhmm / 100) * 3600 + (hhmm % 100) * 60;
            return ch == '-' ? -secs : secs;
        }
        return switch (c.word().toUpperCase(Locale.ROOT)) {
            case "EDT" -> -4 * 3600;
            case "EST", "CDT" -> -5 * 3600;
            case "CST", "MDT" -> -6 * 3600;
            case "MST", "PDT" -> -7 * 3600;
            case "PST" -> -8 * 3600;
            default -> 0;
        };
    }

    private static final class Cursor {
        final String s;
        int i;

        Cursor(String s) {
            this.s = s;
        }

        int peek() {
            return i < s.length() ? s.charAt(i) : -1;
        }

        boolean letter() {
            int c = peek();
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
        }

        String word() {
            int start = i;
            while (letter()) {
                i++;
            }
            return s.substring(start, i);
        }

        /** Up to {@code max} digits, or -1 if there is none. */
        int number(int max) {
            int v = 0;
            int start = i;
            while (i < s.length() && i - start < max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + s.charAt(i++) - '0';
            }
            return i == start ? -1 : v;
        }

        /** White space and comments. */
        void space() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (c == '(') {
                    int depth = 0;
                    while (i < s.length()) {
                        char d = s.charAt(i++);
                        if (d == '(') {
                            depth++;
                        } else if (d == ')' && --depth == 0) {
                            break;
                        }
                    }
                } else {
                    break;
                }
            }
        }
    }
}
