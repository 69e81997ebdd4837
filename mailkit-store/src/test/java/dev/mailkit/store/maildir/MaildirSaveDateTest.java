package dev.mailkit.store.maildir;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAVEDATE and EMAILID on Maildirs mailkit did not write: the save date is the time a file's name starts with (as
 * Postfix, Dovecot and qmail name them), a name without one has none (IMAP: NIL), both stay so across a restart, and
 * a copy is saved anew. The EMAILID is the SHA-256 of the content as served (CRLF), whoever wrote the file.
 */
class MaildirSaveDateTest {
    static final MailAddress ANN = MailAddress.parse("ann@example.com");

    @TempDir
    Path tmp;

    static String emailIdOf(String crlfContent) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(crlfContent.getBytes(StandardCharsets.US_ASCII));
        return "M" + HexFormat.of().formatHex(d, 0, 16);
    }

    @Test
    void foreignFileNamesGiveSaveDatesOrNone() throws Exception {
        Path data = tmp.resolve("data");
        Path inbox = data.resolve("example.com").resolve("ann");
        for (String d : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(inbox.resolve(d));
        }
        String postfix = "Subject: postfix\n\nfrom postfix\n";
        String handmade = "Subject: handmade\n\nno time in my name\n";
        Files.writeString(inbox.resolve("new").resolve("1700000000.V801I42M1.postfix"), postfix);
        Files.writeString(inbox.resolve("cur").resolve("handmade:2,S"), handmade);
        Instant start = Instant.now().minusSeconds(2);
        for (int run = 0; run < 2; run++) { // and again after a restart
            try (MaildirMailStore store = MaildirMailStore.builder(data).build();
                 Mailbox box = store.account(ANN).open(MailboxName.INBOX)) {
                assertThat(box.keepsSaveDates()).isTrue();
                Map<String, Long> bySubject = new HashMap<>();
                try (MailboxView v = box.openView(ViewMode.READ_ONLY)) {
                    for (int seq = 1; seq <= v.messageCount(); seq++) {
                        long uid = v.uid(seq);
                        bySubject.put(box.structure(uid).orElseThrow().envelope().subject(), uid);
                    }
                }
                long p = bySubject.get("postfix");
                long h = bySubject.get("handmade");
                assertThat(box.saveDate(p)).contains(Instant.ofEpochSecond(1_700_000_000L));
                assertThat(box.saveDate(h)).isEmpty();
                assertThat(box.structure(p).orElseThrow().emailId()).isEqualTo(emailIdOf(postfix.replace("\n", "\r\n")));
                assertThat(box.structure(h).orElseThrow().emailId()).isEqualTo(emailIdOf(handmade.replace("\n", "\r\n")));
                if (run == 0) {
                    store.account(ANN).create(MailboxName.of("Copies"));
                    try (Mailbox copies = store.account(ANN).open(MailboxName.of("Copies"));
                         MailboxView v = box.openView(ViewMode.READ_WRITE)) {
                        long c = v.copy(UidSet.of(h), copies).targetUids().first();
                        assertThat(copies.saveDate(c).orElseThrow()).isAfterOrEqualTo(start.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
                        assertThat(copies.structure(c).orElseThrow().emailId())
                                .isEqualTo(box.structure(h).orElseThrow().emailId());
                        try (MessageSource content = copies.content(c).orElseThrow()) {
                            assertThat(content.asString()).isEqualTo(handmade.replace("\n", "\r\n"));
                        }
                    }
                }
            }
        }
    }
}
