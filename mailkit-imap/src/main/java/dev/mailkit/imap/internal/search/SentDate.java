package dev.mailkit.imap.internal.search;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The calendar date of a Date: header as written (SENTBEFORE/SENTON/SENTSINCE disregard time and zone, RFC 3501
 * 6.4.4). Lenient: takes the first day number, month name and year it finds, which covers RFC 5322 dates with or
 * without the day name, obsolete two-digit years and trailing comments. Stateless.
 */
final class SentDate {
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";

    private SentDate() {
    }

    /** The date, or null if none can be found. */
    static LocalDate parse(String value) {
        if (value == null) {
            return null;
        }
        int day = -1;
        int month = -1;
        int year = -1;
        int n = value.length();
        int i = 0;
        while (i < n && (day < 0 || month < 0 || year < 0)) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                int start = i;
                int v = 0;
                while (i < n && value.charAt(i) >= '0' && value.charAt(i) <= '9' && i - start < 6) {
                    v = v * 10 + (value.charAt(i) - '0');
                    i++;
                }
                int digits = i - start;
                if (i < n && value.charAt(i) == ':') {
                    // a time: skip it
                    while (i < n && value.charAt(i) != ' ') {
                        i++;
                    }
                    continue;
                }
                if (day < 0 && month < 0 && digits <= 2) {
                    day = v;
                } else if (month >= 0 && year < 0) {
                    year = digits == 2 ? (v < 50 ? 2000 + v : 1900 + v) : digits == 3 ? 1900 + v : v;
                } else if (day < 0 && digits <= 2) {
                    day = v;
                }
            } else if (Character.isLetter(c)) {
                int start = i;
                while (i < n && Character.isLetter(value.charAt(i))) {
                    i++;
                }
                if (month < 0 && i - start >= 3) {
                    int k = MONTHS.indexOf(value.substring(start, start + 3).toLowerCase(java.util.Locale.ROOT));
                    if (k >= 0 && k % 3 == 0) {
                        month = k / 3 + 1;
                    }
                }
            } else {
                i++;
            }
        }
        if (day < 1 || month < 1 || year < 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
