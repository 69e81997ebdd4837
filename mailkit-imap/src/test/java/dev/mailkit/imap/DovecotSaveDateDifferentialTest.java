package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import static dev.mailkit.imap.DovecotDifferentialTest.JOE;

/**
 * SAVEDATE (RFC 8514) searches against Dovecot 2.3's (see {@link DovecotDifferentialTest}): one Maildir, written by
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
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path written = dir.resolve("written");
        try (MaildirMailStore store = MaildirMailStore.builder(written).fsync(false).hostName("mk").build();
             Mailbox inbox = store.account(JOE).open(MailboxName.INBOX)) {
            for (int i = 0; i < 4; i++) {
                byte[] m = ("Subject: m" + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
                inbox.append(MessageSource.of(m), Flags.NONE, DovecotDifferentialTest.date(i));
            }
        }
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
        Path forDovecot = DovecotDifferentialTest.copy(written, dir.resolve("dovecot"));
        List<String> dovecot;
        Process p = DovecotImap.start(forDovecot.resolve("example.com").resolve("joe"));
        try {
            ImapConversation c = new ImapConversation(p.getInputStream(), p.getOutputStream());
            c.response(); // PREAUTH
            dovecot = DovecotDifferentialTest.run(c, commands);
        } finally {
            p.destroyForcibly();
        }
        Path forMailkit = DovecotDifferentialTest.copy(written, dir.resolve("mailkit"));
        try (MaildirMailStore store = MaildirMailStore.builder(forMailkit).fsync(false).hostName("mk").build()) {
            DovecotDifferentialTest.compare("savedate", dovecot, DovecotDifferentialTest.mailkit(store, commands));
        }
    }
}
