package dev.mailkit.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MessageDatesTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z",
            Locale.ROOT);

    @Test
    void writesWhatTheJdkFormatterWritesForRandomInstantsAndZones() {
        Random random = new Random(5322);
        List<ZoneId> zones = List.of(ZoneOffset.UTC, ZoneId.of("Europe/Berlin"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Kiritimati"), ZoneId.of("America/Anchorage"),
                ZoneOffset.ofHoursMinutes(-3, -30), ZoneId.of("Europe/Amsterdam"));
        for (int i = 0; i < 20_000; i++) {
            // years 0001 to 9999, LMT offsets with seconds included (Amsterdam before 1937)
            long second = -62_135_596_800L + (long) (random.nextDouble() * 315_537_897_599L);
            ZoneId zone = zones.get(random.nextInt(zones.size()));
            ZonedDateTime t = ZonedDateTime.ofInstant(Instant.ofEpochSecond(second, random.nextInt(1_000_000_000)),
                    zone);
            assertThat(MessageDates.format(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
            assertThat(MessageDates.format(t.toInstant(), zone)).as("%s", t).isEqualTo(REFERENCE.format(t));
        }
    }

    @Test
    void theCacheOfTheLastSecondNeverAnswersForAnotherSecondOrZone() {
        Instant a = Instant.parse("2026-12-08T02:49:36.100Z");
        assertThat(MessageDates.format(a, ZoneOffset.UTC)).isEqualTo("Tue, 8 Dec 2026 02:49:36 +0000");
        assertThat(MessageDates.format(a.plusMillis(800), ZoneOffset.UTC)).isEqualTo("Tue, 8 Dec 2026 02:49:36 +0000");
        assertThat(MessageDates.format(a.plusMillis(900), ZoneOffset.UTC)).isEqualTo("Tue, 8 Dec 2026 02:49:37 +0000");
        assertThat(MessageDates.format(a, ZoneId.of("Europe/Berlin"))).isEqualTo("Tue, 8 Dec 2026 03:49:36 +0100");
        assertThat(MessageDates.format(a, ZoneOffset.ofHours(-5))).isEqualTo("Mon, 7 Dec 2026 21:49:36 -0500");
    }

    @Test
    void yearsBeyondFourDigitsFallBackToTheGenericFormatter() {
        ZonedDateTime far = ZonedDateTime.of(12026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        assertThat(MessageDates.format(far)).isEqualTo(REFERENCE.format(far));
    }
}
