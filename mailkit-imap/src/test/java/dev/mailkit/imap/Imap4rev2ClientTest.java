package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Python's imaplib, a client written elsewhere, enabling IMAP4rev2. No client on this machine speaks IMAP4rev2 of
 * its own accord (imaplib 3.11 knows IMAP4rev1, mbsync 1.4 and mutt too), so the script enables it with imaplib's
 * {@code enable()} and reads the RFC 9051 responses through imaplib's generic untagged-response store, which parses
 * them with its own grammar: ESEARCH instead of SEARCH, no RECENT, SELECT's LIST, UTF-8 mailbox names (imaplib
 * switches to UTF-8 only for UTF8=ACCEPT, so the script switches it as RFC 9051 5.1 says), CHECK refused.
 */
class Imap4rev2ClientTest {
    @TempDir
    Path dir;
    MemoryMailStore store = MemoryMailStore.create();
    ImapServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        store.close();
    }

    @Test
    void pythonImaplibEnablesImap4rev2() throws Exception {
        MailAccount account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            for (int i = 1; i <= 3; i++) {
                inbox.append(MessageSource.ofText("From: ann@example.com\nSubject: m" + i + "\n\nbody " + i + "\n"),
                        i == 1 ? Flags.of(SystemFlag.SEEN) : Flags.NONE, Instant.parse("2024-01-0" + i + "T10:00:00Z"));
            }
        }
        server = ImapServerTest.plain().store(store).build().start();
        Path script = Files.writeString(dir.resolve("rev2.py"), String.join("\n",
                "import imaplib, sys",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "print('caps', 'IMAP4REV2' in c.capabilities)",
                "c.login('joe@example.com', 'secret')",
                "print('enable', c.enable('IMAP4rev2')[0], c.response('ENABLED'))",
                "c._mode_utf8()  # RFC 9051 5.1: mailbox names are UTF-8 once IMAP4rev2 is enabled",
                "print('create', c.create('\"Entwürfe\"')[0])",
                "typ, names = c.list()",
                "for n in sorted(names): print('list', n.decode('utf-8'))",
                "print('select', c.select('INBOX'), c.response('RECENT'), c.response('LIST'))",
                "print('search', c.search(None, 'UNSEEN'), c.response('ESEARCH'))",
                "print('uidsearch', c.uid('SEARCH', 'ALL'), c.response('ESEARCH'))",
                "typ, data = c.fetch('1:*', '(FLAGS)')",
                "for d in data: print('fetch', d.decode())",
                "try:",
                "    c.check()",
                "    print('check accepted')",
                "except imaplib.IMAP4.error as e:",
                "    print('check refused', e)",
                "print('select2', c.select('\"Entwürfe\"')[0], c.response('LIST'))",
                "c.logout()",
                ""));
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), script.toString(),
                Integer.toString(server.port())), null, Duration.ofSeconds(60)).assertSuccess();
        assertThat(r.stdout).contains("caps True")
                .contains("enable OK ('ENABLED', [b'IMAP4rev2'])")
                .contains("create OK")
                .contains("list (\\HasNoChildren) \".\" \"Entwürfe\"")
                .contains("select ('OK', [b'3']) ('RECENT', [None]) ('LIST', [b'() \".\" INBOX'])")
                .containsPattern("search \\('OK', \\[None\\]\\) \\('ESEARCH', "
                        + "\\[b'\\(TAG \"[A-Z0-9]+\"\\) ALL 2:3'\\]\\)")
                .containsPattern("uidsearch \\('OK', \\[None\\]\\) \\('ESEARCH', "
                        + "\\[b'\\(TAG \"[A-Z0-9]+\"\\) UID ALL 1:3'\\]\\)")
                .contains("fetch 1 (FLAGS (\\Seen))", "fetch 2 (FLAGS ())", "fetch 3 (FLAGS ())")
                .contains("check refused CHECK command error: BAD [b'CHECK is not part of IMAP4rev2")
                .contains("select2 OK ('LIST', [b'() \".\" \"Entw\\xc3\\xbcrfe\"'])");
        assertThat(account.exists(MailboxName.of("Entwürfe"))).isTrue();
    }
}
