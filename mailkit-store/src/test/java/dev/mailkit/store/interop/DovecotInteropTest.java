package dev.mailkit.store.interop;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dovecot, the reference IMAP server, serves the Maildir that mailkit wrote ({@code mail_location =
 * maildir:DATA/%d/%n}) and sees the same mailboxes, messages, sizes and flags; then mailkit reads back what Dovecot
 * changed (an APPEND stored with LF line ends, a flag, an expunge, a new folder).
 */
class DovecotInteropTest {
    static final MailAddress ANN = MailAddress.parse("ann@example.com");

    @TempDir
    Path tmp;

    /** One message as a server shows it: subject, flags (sorted, lower case, without \\Recent), size. */
    record Seen(String subject, String flags, long size) {
        static String flags(List<String> names) {
            TreeSet<String> t = new TreeSet<>();
            for (String n : names) {
                if (!n.equalsIgnoreCase("\\Recent")) {
                    t.add(n.toLowerCase(java.util.Locale.ROOT));
                }
            }
            return String.join(" ", t);
        }
    }

    private static List<Seen> mailkitView(Mailbox box) {
        List<Seen> out = new ArrayList<>();
        try (MailboxView v = box.openView(ViewMode.READ_ONLY)) {
            for (int seq = 1; seq <= v.messageCount(); seq++) {
                MessageInfo i = box.message(v.uid(seq)).orElseThrow();
                out.add(new Seen(box.structure(i.uid()).orElseThrow().envelope().subject(),
                        Seen.flags(i.flags().toImapNames()), i.size()));
            }
        }
        return out;
    }

    private ExternalTool.Result dovecot(Path maildir, String... commands) {
        Path imap = ExternalTool.require("/usr/lib/dovecot/imap");
        StringBuilder in = new StringBuilder();
        for (String c : commands) {
            in.append(c).append("\r\n");
        }
        return RealPrograms.run(RealPrograms.asMailUser(maildir, List.of(imap.toString(), "-o",
                "mail_location=maildir:" + maildir)), in.toString(), Duration.ofSeconds(30));
    }

    /** The FETCH responses of a transcript: FLAGS, RFC822.SIZE and the Subject from a header literal. */
    static List<Seen> fetches(String out) {
        List<Seen> seen = new ArrayList<>();
        Pattern fetch = Pattern.compile("^\\* \\d+ FETCH \\((.*)$", Pattern.MULTILINE);
        Matcher m = fetch.matcher(out);
        while (m.find()) {
            String line = m.group(1);
            Matcher flags = Pattern.compile("FLAGS \\(([^)]*)\\)").matcher(line);
            Matcher size = Pattern.compile("RFC822\\.SIZE (\\d+)").matcher(line);
            Matcher lit = Pattern.compile("\\{(\\d+)}\\r?$").matcher(line);
            if (!flags.find() || !size.find()) {
                continue;
            }
            String subject = "";
            if (lit.find()) {
                int start = m.end() + 1;
                String header = out.substring(start, start + Integer.parseInt(lit.group(1)));
                Matcher s = Pattern.compile("(?i)^Subject: (.*)$", Pattern.MULTILINE).matcher(header);
                if (s.find()) {
                    subject = s.group(1).trim();
                }
            }
            List<String> names = flags.group(1).isBlank() ? List.of() : List.of(flags.group(1).trim().split(" "));
            seen.add(new Seen(subject, Seen.flags(names), Long.parseLong(size.group(1))));
        }
        return seen;
    }

    /** The mailbox names of LIST responses (modified UTF-7 decoded), with their attributes. */
    static Map<String, String> listed(String out) {
        Map<String, String> names = new TreeMap<>();
        Matcher m = Pattern.compile("^\\* LIST \\(([^)]*)\\) \"\\.\" (.+?)\\r?$", Pattern.MULTILINE).matcher(out);
        while (m.find()) {
            String n = m.group(2);
            if (n.startsWith("\"")) {
                n = n.substring(1, n.length() - 1);
            }
            names.put(dev.mailkit.core.ModifiedUtf7.decode(n), m.group(1));
        }
        return names;
    }

    @Test
    void dovecotServesWhatMailkitWroteAndMailkitReadsWhatDovecotChanged() throws IOException {
        Path data = tmp.resolve("data");
        Path maildir = data.resolve("example.com/ann");
        Map<String, List<Seen>> mailkit = new TreeMap<>();
        long validity;
        StringBuilder big = new StringBuilder("From: big@example.com\r\nSubject: big one\r\n\r\n");
        for (int i = 0; i < 5000; i++) {
            big.append("line ").append(i).append(" of a message bigger than one read\r\n");
        }
        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            MailAccount ann = store.account(ANN);
            ann.create(MailboxName.of("Sent"));
            ann.create(MailboxName.of("Archive.2026"));
            ann.create(MailboxName.of("Entwürfe"));
            ann.subscribe(MailboxName.of("Sent"));
            ann.subscribe(MailboxName.of("Entwürfe"));
            try (Mailbox inbox = ann.open(MailboxName.INBOX); Mailbox sent = ann.open(MailboxName.of("Sent"));
                 Mailbox drafts = ann.open(MailboxName.of("Entwürfe"))) {
                inbox.append(MessageSource.ofText("From: a@example.com\nSubject: plain\n\nnew, unread\n"));
                inbox.append(MessageSource.ofText("From: a@example.com\nSubject: flagged\n\nseen and flagged\n"),
                        Flags.of(List.of(SystemFlag.SEEN, SystemFlag.FLAGGED), List.of("$Forwarded")), null);
                inbox.append(MessageSource.ofText("From: a@example.com\nSubject: answered\n\nwork\n"),
                        Flags.of(List.of(SystemFlag.ANSWERED, SystemFlag.SEEN), List.of("Work")), null);
                inbox.append(MessageSource.ofText("From: a@example.com\nSubject: doomed\n\nto be expunged\n"),
                        Flags.of(SystemFlag.DELETED), null);
                inbox.append(MessageSource.ofText(big.toString()));
                drafts.append(MessageSource.ofText("From: ann@example.com\nSubject: draft\n\nnot yet\n"),
                        Flags.of(SystemFlag.DRAFT), null);
                try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                    v.copy(UidSet.of(2), sent);
                }
                mailkit.put("INBOX", mailkitView(inbox));
                mailkit.put("Sent", mailkitView(sent));
                mailkit.put("Entwürfe", mailkitView(drafts));
                validity = inbox.uidValidity();
            }
        }
        RealPrograms.giveTo(data, "nobody", "nogroup");
        RealPrograms.openUp(tmp, tmp);

        String fetch = "FETCH 1:* (FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])";
        ExternalTool.Result r = dovecot(maildir, "a LIST \"\" \"*\"", "b LSUB \"\" \"*\"", "c SELECT INBOX", "d " + fetch,
                "e SELECT Sent", "f " + fetch, "g SELECT \"Entw&APw-rfe\"", "h " + fetch, "i SELECT Archive.2026",
                "z LOGOUT");
        String out = r.stdout;
        assertThat(out).as(r.toString()).contains("z OK");
        assertThat(listed(out).keySet()).as(r.toString()).containsExactly("Archive", "Archive.2026", "Entwürfe", "INBOX", "Sent");
        assertThat(listed(out).get("Archive")).contains("\\Noselect");
        assertThat(out).containsPattern("\\* LSUB \\([^)]*\\) \"\\.\" Sent\r?\n")
                .containsPattern("\\* LSUB \\([^)]*\\) \"\\.\" Entw&APw-rfe\r?\n")
                .doesNotContainPattern("LSUB .* Archive");
        String[] parts = out.split("\\r?\\n[a-z] OK ");
        // parts: a, b, c, d (INBOX fetch), e, f (Sent fetch), g, h (drafts fetch), i, z
        assertThat(fetches(parts[3])).as(out).containsExactlyElementsOf(mailkit.get("INBOX"));
        assertThat(fetches(parts[5])).containsExactlyElementsOf(mailkit.get("Sent"));
        assertThat(fetches(parts[7])).containsExactlyElementsOf(mailkit.get("Entwürfe"));
        assertThat(out).contains("i OK [READ-WRITE]");

        // now Dovecot changes the Maildir: it stores an APPEND with LF line ends
        String appended = "From: dovecot@example.com\r\nSubject: appended by dovecot\r\n\r\nhello from dovecot\r\n";
        r = dovecot(maildir, "a SELECT INBOX", "b STORE 1 +FLAGS (\\Answered)", "c EXPUNGE",
                "d APPEND INBOX (\\Seen NonJunk) {" + appended.length() + "+}\r\n" + appended,
                "e CREATE \"Dovecot made\"", "f SELECT INBOX", "g FETCH 5 (FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])",
                "z LOGOUT");
        assertThat(r.stdout).as(r.toString()).contains("c OK").contains("d OK").contains("z OK");
        Seen dovecotAppended = fetches(r.stdout.substring(r.stdout.indexOf("f OK"))).get(0);
        assertThat(dovecotAppended.subject()).isEqualTo("appended by dovecot");

        try (MaildirMailStore store = MaildirMailStore.builder(data).build()) {
            MailAccount ann = store.account(ANN);
            assertThat(ann.list()).extracting(MailboxInfo::name).extracting(MailboxName::toString)
                    .contains("Dovecot made", "Sent", "Entwürfe");
            try (Mailbox inbox = ann.open(MailboxName.INBOX)) {
                assertThat(inbox.uidValidity()).isEqualTo(validity);
                List<Seen> now = mailkitView(inbox);
                assertThat(now).extracting(Seen::subject)
                        .containsExactly("plain", "flagged", "answered", "big one", "appended by dovecot");
                assertThat(now.get(0).flags()).isEqualTo("\\answered");
                assertThat(now.get(4)).isEqualTo(dovecotAppended);
                // Dovecot stored it with LF line ends; mailkit serves it with CRLF at the size Dovecot reports
                long uid = inbox.status().uidNext() - 1;
                assertThat(inbox.content(uid).orElseThrow().asString()).isEqualTo(appended);
                assertThat(inbox.message(1).orElseThrow().uid()).isEqualTo(1);
                assertThat(inbox.message(4)).isEmpty(); // expunged by Dovecot
            }
        }
        try (var files = Files.walk(maildir.resolve("cur"))) {
            assertThat(files.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(s -> s.contains("appended by dovecot")).findFirst().orElseThrow()).doesNotContain("\r\n");
        }
    }
}
