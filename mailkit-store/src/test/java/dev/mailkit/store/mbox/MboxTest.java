package dev.mailkit.store.mbox;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MboxTest {
    static final Instant DATE = Instant.parse("2026-01-03T01:05:34Z");

    @TempDir
    Path tmp;

    /** Messages that trip up mbox writers and readers. */
    static List<String> tricky() {
        return List.of(
                "Return-Path: <sender@example.com>\r\nSubject: one\r\n\r\nFrom the start of a line\r\n"
                        + ">From already quoted\r\n>>From twice\r\n>From\r\nFrom: not a separator\r\n\r\nFrom again "
                        + "after a blank line\r\n",
                "Subject: no final newline\r\n\r\nlast line",
                "Subject: only a header\r\n",
                "Subject: blank lines at the end\r\n\r\nbody\r\n\r\n\r\n",
                "Subject: =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße, 日本\r\n",
                "Subject: a status header already\r\nStatus: RO\r\nX-Status: A\r\n\r\nflags come from the store\r\n");
    }

    static Flags flagsOf(int i) {
        return switch (i) {
            case 0 -> Flags.of(List.of(SystemFlag.SEEN, SystemFlag.FLAGGED), List.of("$Forwarded", "Work"));
            case 1 -> Flags.of(SystemFlag.ANSWERED, SystemFlag.DRAFT);
            case 2 -> Flags.of(SystemFlag.DELETED);
            default -> Flags.NONE;
        };
    }

    /** What a message looks like after a round trip: it ends with CRLF. */
    static String normalised(String m) {
        String s = m.replace("Status: RO\r\nX-Status: A\r\n", "");
        if (!s.endsWith("\r\n")) {
            s += "\r\n";
        }
        if (!s.contains("\r\n\r\n")) {
            s += "\r\n";
        }
        return s;
    }

    private static Mailbox filled(MemoryMailStore store) {
        Mailbox box = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX);
        List<String> msgs = tricky();
        for (int i = 0; i < msgs.size(); i++) {
            box.append(MessageSource.of(msgs.get(i).getBytes(StandardCharsets.UTF_8)), flagsOf(i), DATE.plusSeconds(i));
        }
        return box;
    }

    @Test
    void exportWritesMboxrd() throws IOException {
        try (MemoryMailStore store = MemoryMailStore.create(); Mailbox box = filled(store)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(MboxExporter.create().export(box, out)).isEqualTo(6);
            String mbox = out.toString(StandardCharsets.UTF_8);
            assertThat(mbox).doesNotContain("\r");
            assertThat(mbox).startsWith("From sender@example.com Sat Jan  3 01:05:34 2026\nReturn-Path: "
                    + "<sender@example.com>\nSubject: one\nStatus: RO\nX-Status: F\nX-Keywords: $Forwarded Work\n\n"
                    + ">From the start of a line\n>>From already quoted\n>>>From twice\n>From\nFrom: not a separator\n"
                    + "\n>From again after a blank line\n\n"
                    + "From MAILER-DAEMON Sat Jan  3 01:05:35 2026\nSubject: no final newline\nStatus: O\n"
                    + "X-Status: AT\n\nlast line\n\n");
            assertThat(mbox).contains("Subject: a status header already\nStatus: O\n\nflags come from the store\n\n")
                    .contains("Subject: only a header\nStatus: O\nX-Status: D\n\n");
            // exactly one line per message begins with "From "
            assertThat(mbox.lines().filter(l -> l.startsWith("From ")).count()).isEqualTo(6);
            ByteArrayOutputStream some = new ByteArrayOutputStream();
            assertThat(MboxExporter.create().statusHeaders(false).export(box, UidSet.of(2, 5), some)).isEqualTo(2);
            assertThat(some.toString(StandardCharsets.UTF_8)).doesNotContain("Status:").contains("Grüße");
        }
    }

    @Test
    void exportThenImportGivesBackMessagesFlagsAndDates() throws IOException {
        try (MemoryMailStore store = MemoryMailStore.create(); Mailbox box = filled(store)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MboxExporter.create().export(box, out);
            MailAccount other = store.account(MailAddress.parse("bob@example.com"));
            try (Mailbox copy = other.open(MailboxName.INBOX)) {
                UidSet uids = MboxImporter.create().spool(MessageSpool.create(tmp, 1024))
                        .importInto(new ByteArrayInputStream(out.toByteArray()), copy);
                assertThat(uids).isEqualTo(UidSet.range(1, 6));
                List<String> msgs = tricky();
                for (int i = 0; i < msgs.size(); i++) {
                    MessageInfo info = copy.message(i + 1).orElseThrow();
                    assertThat(info.internalDate()).isEqualTo(DATE.plusSeconds(i));
                    assertThat(info.flags()).as("flags of %d", i).isEqualTo(flagsOf(i));
                    try (MessageSource c = copy.content(i + 1).orElseThrow()) {
                        assertThat(c.asString()).as("message %d", i).isEqualTo(normalised(msgs.get(i)));
                    }
                }
            }
        }
    }

    @Test
    void bigMessagesAndLongLinesStreamThrough() throws IOException {
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        sb.append("x".repeat(200_000)).append("\r\n"); // one line longer than a chunk
        sb.append("From inside\r\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("line ").append(i).append("\r\n");
        }
        String big = sb.toString();
        try (MemoryMailStore store = MemoryMailStore.create();
             Mailbox box = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
            box.append(MessageSource.ofText(big), Flags.NONE, DATE);
            Path file = tmp.resolve("big.mbox");
            try (OutputStream o = Files.newOutputStream(file)) {
                MboxExporter.create().statusHeaders(false).export(box, o);
            }
            List<Integer> sizes = new ArrayList<>();
            try (InputStream in = Files.newInputStream(file)) {
                MboxImporter.create().spool(MessageSpool.create(tmp.resolve("spool"), 64 * 1024)).read(in,
                        (m, flags, date) -> {
                            assertThat(m.isInMemory()).isFalse();
                            assertThat(m.asString()).isEqualTo(big);
                            sizes.add((int) m.size());
                        });
            }
            assertThat(sizes).containsExactly(big.length());
        }
    }

    @Test
    void muttAndThunderbirdStyleMboxesImport() throws IOException {
        // mboxo as mutt and Thunderbird write it: LF, Content-Length, one blank line between messages
        String mbox = "From a@example.com Mon Feb  2 10:00:00 2026\nSubject: a\nStatus: R\n\nbody a\n>From quoted\n\n"
                + "From b@example.com Mon Feb  2 10:00:01 2026\nSubject: b\nContent-Length: 7\n\nbody b\n";
        try (MemoryMailStore store = MemoryMailStore.create();
             Mailbox box = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
            MboxImporter.create().importInto(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.UTF_8)), box);
            assertThat(box.status().messages()).isEqualTo(2);
            assertThat(box.message(1).orElseThrow().flags()).isEqualTo(Flags.of(SystemFlag.SEEN));
            assertThat(box.content(1).orElseThrow().asString()).isEqualTo("Subject: a\r\n\r\nbody a\r\nFrom quoted\r\n");
            assertThat(box.content(2).orElseThrow().asString())
                    .isEqualTo("Subject: b\r\nContent-Length: 7\r\n\r\nbody b\r\n");
            assertThat(box.message(2).orElseThrow().internalDate()).isEqualTo(Instant.parse("2026-02-02T10:00:01Z"));
        }
    }

    /** The fuzz finding of issue 17: a line whose text ends in CR, and a message ending in CR CR. */
    @Test
    void linesEndingInCarriageReturnRoundTrip() throws IOException {
        byte[] message = "Subject: cr\r\n\r\ntext\r\r\nlast\r\r".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MboxExporter exporter = MboxExporter.create().statusHeaders(false);
        exporter.write(MessageSource.of(message), Flags.NONE, DATE, out);
        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo("From MAILER-DAEMON Sat Jan  3 01:05:34 2026\nSubject: cr\n\ntext\r\r\nlast\r\r\n\n");
        List<String> once = imported(out.toByteArray());
        // the text's CR stays; the last CR becomes the line end the message lacked
        assertThat(once).containsExactly("Subject: cr\r\n\r\ntext\r\r\nlast\r\r\n");
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        exporter.write(MessageSource.of(once.get(0).getBytes(StandardCharsets.US_ASCII)), Flags.NONE, DATE, again);
        assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
        assertThat(imported(again.toByteArray())).isEqualTo(once);
    }

    private List<String> imported(byte[] mbox) throws IOException {
        List<String> messages = new ArrayList<>();
        MboxImporter.create().spool(MessageSpool.create(tmp, 1024)).read(new ByteArrayInputStream(mbox),
                (m, flags, date) -> messages.add(new String(m.toByteArray(), StandardCharsets.US_ASCII)));
        return messages;
    }

    @Test
    void somethingThatIsNotAnMboxIsRefused() {
        try (MemoryMailStore store = MemoryMailStore.create();
             Mailbox box = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
            assertThatThrownBy(() -> MboxImporter.create().importInto(
                    new ByteArrayInputStream("Subject: x\n\nhi\n".getBytes(StandardCharsets.US_ASCII)), box))
                    .isInstanceOf(IOException.class).hasMessageContaining("must begin with a 'From ' line");
            assertThat(box.status().messages()).isZero();
        }
    }

    @Test
    void aMaildirExportsAndImports() throws IOException {
        try (MaildirMailStore store = MaildirMailStore.builder(tmp.resolve("mail")).build()) {
            MailAccount ann = store.account(MailAddress.parse("ann@example.com"));
            try (Mailbox inbox = ann.open(MailboxName.INBOX)) {
                inbox.append(MessageSource.ofText("Subject: from a maildir\n\nhello\n"), Flags.of(SystemFlag.SEEN), DATE);
                Path f = tmp.resolve("export.mbox");
                try (OutputStream o = Files.newOutputStream(f)) {
                    MboxExporter.create().export(inbox, o);
                }
                ann.create(MailboxName.of("Imported"));
                try (Mailbox imported = ann.open(MailboxName.of("Imported")); InputStream in = Files.newInputStream(f)) {
                    MboxImporter.create().importInto(in, imported);
                    assertThat(imported.message(1).orElseThrow().flags()).isEqualTo(Flags.of(SystemFlag.SEEN));
                    assertThat(imported.content(1).orElseThrow().asString())
                            .isEqualTo("Subject: from a maildir\r\n\r\nhello\r\n");
                }
            }
        }
    }
}
