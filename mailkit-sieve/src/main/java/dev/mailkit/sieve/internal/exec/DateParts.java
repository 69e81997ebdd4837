package dev.mailkit.sieve.internal.exec;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.JulianFields;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The date test's parts (RFC 5260 4.2) of a date, and the parsing of a Date: header (RFC 5322 3.3, with the
 * obsolete zone names). Stateless.
 */
public final class DateParts {
    private static final Pattern DATE = Pattern.compile(
            "^\\s*(?:[A-Za-z]{3}\\s*,\\s*)?(\\d{1,2})\\s+([A-Za-z]{3})[a-z]*\\s+(\\d{2,4})\\s+(\\d{1,2}):(\\d{2})"
                    + "(?::(\\d{2}))?\\s*([+-]\\d{4}|[A-Za-z]{1,5})?");
    private static final String MONTHS = "janfebmaraprmayjunjulaugsepoctnovdec";
    private static final DateTimeFormatter STD11 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
            Locale.ROOT);

    private DateParts() {
    }

    /** A Date: header's date with its own zone, or null if it does not parse. */
    public static ZonedDateTime parse(String value) {
        if (value == null || value.length() > 200) {
            return null;
        }
        Matcher m = DATE.matcher(value.replaceAll("\\([^)]*\\)", " "));
        if (!m.find()) {
            return null;
        }
        int month = MONTHS.indexOf(m.group(2).substring(0, 3).toLowerCase(Locale.ROOT));
        if (month < 0 || month % 3 != 0) {
            return null;
        }
        int year = Integer.parseInt(m.group(3));
        if (m.group(3).length() == 2) {
            year += year < 50 ? 2000 : 1900;
        } else if (m.group(3).length() == 3) {
            year += 1900;
        }
        try {
            ZoneOffset zone = zone(m.group(7));
            return ZonedDateTime.of(year, month / 3 + 1, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), 0, zone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    static ZoneOffset zone(String z) {
        if (z == null) {
            return ZoneOffset.UTC;
        }
        if (z.charAt(0) == '+' || z.charAt(0) == '-') {
            int h = Integer.parseInt(z.substring(1, 3));
            int mm = Integer.parseInt(z.substring(3, 5));
            int sign = z.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofTotalSeconds(sign * (h * 3600 + mm * 60));
        }
        return switch (z.toUpperCase(Locale.ROOT)) {
            case "EST" -> ZoneOffset.ofHours(-5);
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "CST" -> ZoneOffset.ofHours(-6);
            case "CDT" -> ZoneOffset.ofHours(-5);
            case "MST" -> ZoneOffset.ofHours(-7);
            case "MDT" -> ZoneOffset.ofHours(-6);
            case "PST" -> ZoneOffset.ofHours(-8);
            case "PDT" -> ZoneOffset.ofHours(-7);
            default -> ZoneOffset.UTC;
        };
    }

    /** A {@code :zone} argument ({@code +hhmm}), or null if it is not one. */
    public static ZoneOffset zoneArgument(String z) {
        if (z == null || !z.matches("[+-]\\d{4}")) {
            return null;
        }
        int h = Integer.parseInt(z.substring(1, 3));
        int mm = Integer.parseInt(z.substring(3, 5));
        if (h > 23 || mm > 59) {
            return null;
        }
        return zone(z);
    }

    /** The value of a date part, or null for an unknown part. */
    public static String part(ZonedDateTime d, String part) {
        return switch (part.toLowerCase(Locale.ROOT)) {
            case "year" -> String.format(Locale.ROOT, "%04d", d.getYear());
            case "month" -> String.format(Locale.ROOT, "%02d", d.getMonthValue());
            case "day" -> String.format(Locale.ROOT, "%02d", d.getDayOfMonth());
            case "date" -> String.format(Locale.ROOT, "%04d-%02d-%02d", d.getYear(), d.getMonthValue(),
                    d.getDayOfMonth());
            case "julian" -> Long.toString(LocalDate.from(d).getLong(JulianFields.MODIFIED_JULIAN_DAY));
            case "hour" -> String.format(Locale.ROOT, "%02d", d.getHour());
            case "minute" -> String.format(Locale.ROOT, "%02d", d.getMinute());
            case "second" -> String.format(Locale.ROOT, "%02d", d.getSecond());
            case "time" -> String.format(Locale.ROOT, "%02d:%02d:%02d", d.getHour(), d.getMinute(), d.getSecond());
            case "iso8601" -> String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%s", d.getYear(),
                    d.getMonthValue(), d.getDayOfMonth(), d.getHour(), d.getMinute(), d.getSecond(),
                    isoZone(d.getOffset()));
            case "std11" -> STD11.format(d);
            case "zone" -> STD11.format(d).substring(STD11.format(d).length() - 5);
            case "weekday" -> Integer.toString(d.getDayOfWeek() == DayOfWeek.SUNDAY ? 0
                    : d.getDayOfWeek().getValue());
            default -> null;
        };
    }

    private static String isoZone(ZoneOffset z) {
        int s = z.getTotalSeconds();
        return String.format(Locale.ROOT, "%s%02d:%02d", s < 0 ? "-" : "+", Math.abs(s) / 3600,
                Math.abs(s) % 3600 / 60);
    }
}
