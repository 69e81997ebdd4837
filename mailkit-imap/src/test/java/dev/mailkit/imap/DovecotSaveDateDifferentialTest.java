package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.Flags;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * SAVEDATE (RFC 8514) searches against Dovecot 2.3's (set up by {@link DovecotFixture}): one Maildir, written by
 * mailkit today with internal dates in 2024, served by both. The save dates themselves differ by design (Dovecot
 * takes a Maildir file's ctime, mailkit the time in its name: both are today here), so what is compared is what a
 * client sees of them: which messages SAVEDATESUPPORTED, SAVEDBEFORE, SAVEDON and SAVEDSINCE find, alone and
 * combined with internal-date keys. (OBJECTID cannot be compared: Dovecot 2.3 does not implement it.)
 */
class DovecotSaveDateDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void saveDateSearchesAreDovecots() throws Exception {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < 4; i++) {
            b.message(("Subject: m" + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII), Flags.NONE,
                    DovecotFixture.day(i));
        }
        DovecotFixture fx = b.build();
        DateTimeFormatter imap = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ROOT);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String yesterday = imap.format(today.minusDays(1));
        String tomorrow = imap.format(today.plusDays(1));
        List<String> commands = List.of(
                "SEARCH SAVEDATESUPPORTED",
                "SEARCH SAVEDSINCE " + yesterday,
                "SEARCH SAVEDBEFORE " + tomorrow,
                "SEARCH SAVEDBEFORE " + yesterday,
                "SEARCH SAVEDSINCE " + tomorrow,
                "SEARCH SAVEDON 1-Jan-2024",
                "SEARCH SAVEDSINCE 1-Jan-2020 BEFORE 3-Jan-2024",
                "SEARCH OR SAVEDBEFORE 1-Jan-2020 ON 4-Jan-2024",
                "SEARCH NOT SAVEDSINCE " + yesterday);
        List<String> dovecot = fx.dovecot(commands);
        try (MaildirMailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("savedate", dovecot, fx.mailkit(store, commands));
        }
    }
}
