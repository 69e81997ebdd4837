package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Python's imaplib, curl's imap:// and mbsync against the server with a store. */
class RealClientMailboxTest {
    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().standardMailboxes().build();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.ofText("From: Ann <ann@example.com>\nSubject: first\n\nfirst body\n"));
            inbox.append(MessageSource.ofText("From: Bob <bob@example.com>\nSubject: second\n\nsecond body\n"));
        }
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private ExternalTool.Result python(String script) throws Exception {
        Path file = dir.resolve("client.py");
        Files.writeString(file, script);
        return ExternalTool.run(List.of(ExternalTool.python().toString(), file.toString(),
                Integer.toString(server.port())), null, Duration.ofSeconds(60)).assertSuccess();
    }

    /**
     * imaplib's sort() and thread() (RFC 5256), which parse the SORT and THREAD responses. Messages 1 and 2 have no
     * Date: (their internal date, now, counts), so the reply of 2024 comes first by ORDEREDSUBJECT.
     */
    @Test
    void pythonImaplibSortsAndThreads() throws Exception {
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.ofText("From: Cy <cy@example.com>\nSubject: Re: first\nMessage-ID: <r@x>\n"
                    + "Date: Tue, 2 Jan 2024 10:00:00 +0000\n\nreply\n"));
        }
        String out = python(String.join("\n",
                "import imaplib, sys",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "c.login('joe@example.com', 'secret')",
                "c.select('INBOX')",
                "print('sort', c.sort('(REVERSE SUBJECT)', 'UTF-8', 'ALL'))",
                "print('sortfrom', c.sort('(DISPLAYFROM)', 'UTF-8', 'ALL'))",
                "print('uidsort', c.uid('SORT', '(SIZE)', 'UTF-8', 'ALL'))",
                "print('thread', c.thread('ORDEREDSUBJECT', 'UTF-8', 'ALL'))",
                "print('refs', c.thread('REFERENCES', 'UTF-8', 'ALL'))",
                "c.logout()")).stdout;
        assertThat(out).contains("sort ('OK', [b'2 1 3'])", "sortfrom ('OK', [b'1 2 3'])",
                "thread ('OK', [b'(3 1)(2)'])", "refs ('OK', [b'(1 3)(2)'])");
        assertThat(out).containsPattern("uidsort \\('OK', \\[b'[123] [123] [123]'\\]\\)");
    }

    @Test
    void pythonImaplibWholeSession() throws Exception {
        String out = python(String.join("\n",
                "import imaplib, sys, time",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "c.login('joe@example.com', 'secret')",
                "print('list', c.list())",
                "print('select', c.select('INBOX'))",
                "print('fetch', c.fetch('1:*', '(UID FLAGS RFC822.SIZE)'))",
                "print('body', c.fetch('1', '(BODY.PEEK[])')[1][0][1])",
                "print('search', c.search(None, 'SUBJECT', 'second'))",
                "print('uidsearch', c.uid('SEARCH', None, 'ALL'))",
                "print('store', c.store('1', '+FLAGS', '(\\\\Flagged)'))",
                "print('copy', c.copy('1', 'Archive'))",
                "print('move', c.uid('MOVE', '2', 'Trash'))",
                "print('append', c.append('INBOX', '(\\\\Seen)', imaplib.Time2Internaldate(time.time()),"
                        + " b'Subject: py\\r\\n\\r\\nbody\\r\\n'))",
                "print('status', c.status('Archive', '(MESSAGES UIDNEXT)'))",
                "print('create', c.create('Py.Sub'), c.rename('Py.Sub', 'Py.Renamed'), c.delete('Py.Renamed'))",
                "print('flag', c.store('1', '+FLAGS.SILENT', '(\\\\Deleted)'))",
                "print('expunge', c.expunge())",
                "print('close', c.close())",
                "print('logout', c.logout()[0])",
                "")).stdout;
        assertThat(out).contains("list ('OK', [b'(\\\\HasNoChildren) \".\" INBOX'")
                .contains("select ('OK', [b'2'])")
                .contains("b'1 (UID 1 FLAGS (\\\\Recent) RFC822.SIZE 59)'")
                .contains("body b'From: Ann <ann@example.com>\\r\\nSubject: first\\r\\n\\r\\nfirst body\\r\\n'")
                .contains("search ('OK', [b'2'])")
                .contains("uidsearch ('OK', [b'1 2'])")
                .contains("store ('OK', [b'1 (FLAGS (\\\\Flagged \\\\Recent))'])")
                .containsPattern("copy \\('OK', \\[b'\\[COPYUID \\d+ 1 1\\] Copy completed'\\]\\)")
                .containsPattern("append \\('OK', \\[b'\\[APPENDUID \\d+ 3\\] Append completed'\\]\\)")
                .contains("status ('OK', [b'Archive (MESSAGES 1 UIDNEXT 2)'])")
                .containsPattern("create \\('OK', \\[b'\\[MAILBOXID \\(F\\d+\\)\\] Create completed'\\]\\) "
                        + "\\('OK', \\[b'Rename completed'\\]\\) \\('OK', \\[b'Delete completed'\\]\\)")
                .contains("expunge ('OK', [b'2', b'1'])")
                .contains("logout BYE");
    }

    private ExternalTool.Result curl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ExternalTool.require("curl").toString(), "-sS", "--max-time", "30",
                "-u", "joe@example.com:secret"));
        cmd.addAll(List.of(args));
        return ExternalTool.run(cmd, null, Duration.ofSeconds(60)).assertSuccess();
    }

    @Test
    void curlListsFetchesSearchesAndAppends() throws Exception {
        String base = "imap://127.0.0.1:" + server.port();
        assertThat(curl(base + "/").stdout).contains("* LIST (\\HasNoChildren) \".\" INBOX")
                .contains("\\Trash) \".\" Trash");
        assertThat(curl(base + "/INBOX;UID=2").stdout).isEqualTo("From: Bob <bob@example.com>\r\nSubject: second\r\n"
                + "\r\nsecond body\r\n");
        assertThat(curl(base + "/INBOX;UID=1;SECTION=HEADER.FIELDS%20(SUBJECT)").stdout)
                .isEqualTo("Subject: first\r\n\r\n");
        assertThat(curl(base + "/INBOX?SUBJECT%20second").stdout).isEqualTo("* SEARCH 2\r\n");
        assertThat(curl(base + "/INBOX", "-X", "EXAMINE INBOX").stdout).contains("* 2 EXISTS");
        Path msg = dir.resolve("m.eml");
        Files.writeString(msg, "Subject: uploaded\r\n\r\nby curl\r\n");
        curl(base + "/Drafts", "-T", msg.toString());
        assertThat(curl(base + "/Drafts;UID=1").stdout).contains("by curl");
    }

    @Test
    void mbsyncSynchronisesBothWays() throws Exception {
        Path mbsync = ExternalTool.require("mbsync");
        Path local = Files.createDirectories(dir.resolve("local"));
        Path conf = dir.resolve("mbsyncrc");
        Files.writeString(conf, String.join("\n",
                "IMAPAccount mk",
                "Host 127.0.0.1",
                "Port " + server.port(),
                "User joe@example.com",
                "Pass secret",
                "SSLType None",
                "AuthMechs LOGIN",
                "",
                "IMAPStore remote",
                "Account mk",
                "",
                "MaildirStore local",
                "Path " + local + "/",
                "Inbox " + local + "/INBOX",
                "SubFolders Verbatim",
                "",
                "Channel ch",
                "Far :remote:",
                "Near :local:",
                "Patterns *",
                "Create Both",
                "Expunge Both",
                "SyncState *",
                ""));
        List<String> cmd = List.of(mbsync.toString(), "-c", conf.toString(), "-a");
        ExternalTool.Result first = ExternalTool.run(cmd, null, Duration.ofSeconds(60));
        assertThat(first.exitCode).as(first.toString()).isZero();
        assertThat(messages(local.resolve("INBOX"))).hasSize(2);
        assertThat(Files.isDirectory(local.resolve("Trash"))).isTrue();

        // a message written locally goes up; a flag set locally goes up; a message deleted on the server goes away
        Path newFile = local.resolve("INBOX/new/1700000000.local:2,");
        Files.writeString(newFile, "From: me@example.com\r\nSubject: from mbsync\r\n\r\nlocal body\r\n");
        Path firstLocal = messages(local.resolve("INBOX")).stream()
                .filter(p -> read(p).contains("Subject: first")).findFirst().orElseThrow();
        Files.move(firstLocal, firstLocal.resolveSibling(firstLocal.getFileName().toString().replaceAll(":2,.*$", "")
                + ":2,F"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            var view = inbox.openView(dev.mailkit.store.ViewMode.READ_WRITE);
            view.store(dev.mailkit.store.UidSet.of(2), dev.mailkit.store.FlagOperation.ADD,
                    dev.mailkit.store.Flags.of(dev.mailkit.store.SystemFlag.DELETED));
            view.expunge();
            view.close();
        }
        ExternalTool.Result second = ExternalTool.run(cmd, null, Duration.ofSeconds(60));
        assertThat(second.exitCode).as(second.toString()).isZero();
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(2);
            boolean uploaded = false;
            for (long uid = 1; uid <= 3; uid++) {
                var content = inbox.content(uid);
                if (content.isPresent()) {
                    try (MessageSource m = content.get()) {
                        uploaded |= m.asString().contains("Subject: from mbsync");
                    }
                }
            }
            assertThat(uploaded).isTrue();
            assertThat(inbox.message(1).orElseThrow().flags().contains(dev.mailkit.store.SystemFlag.FLAGGED)).isTrue();
        }
        assertThat(messages(local.resolve("INBOX"))).hasSize(2)
                .noneMatch(p -> read(p).contains("Subject: second"));
        ExternalTool.Result third = ExternalTool.run(cmd, null, Duration.ofSeconds(60));
        assertThat(third.exitCode).as(third.toString()).isZero();
    }

    private static List<Path> messages(Path maildir) throws Exception {
        List<Path> out = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.forEach(out::add);
                }
            }
        }
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
