package dev.mailkit.imap;

import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.AccountMetadata;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MetadataLimits;
import dev.mailkit.store.Quota;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * METADATA (RFC 5464) over a real socket: GETMETADATA with DEPTH and MAXSIZE, SETMETADATA all or nothing, the
 * limits' response codes, entry names that are refused, mailboxes deleted and renamed, and entries kept by the
 * Maildir store across a restart of the server.
 */
class MetadataTest {
    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().metadataLimits(new MetadataLimits(5, 16, 200)).build();
        account = store.account(AccountId.parse("joe@example.com"));
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap login(int port) throws Exception {
        RawImap c = new RawImap(port);
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    AccountMetadata metadata() {
        return account.metadata().orElseThrow();
    }

    @Test
    void metadataIsAdvertisedOnceLoggedIn() throws Exception {
        try (RawImap c = new RawImap(server.port())) {
            c.greeting();
            assertThat(c.command("CAPABILITY").get(0)).doesNotContain("METADATA");
            assertThat(c.tagged("GETMETADATA \"\" /private/comment")).isEqualTo("BAD Please log in first");
            assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
            assertThat(c.command("CAPABILITY").get(0)).contains(" METADATA");
        }
    }

    @Test
    void serverAndMailboxEntriesAreSetAndRead() throws Exception {
        try (RawImap c = login(server.port())) {
            assertThat(c.tagged("SETMETADATA \"\" (/private/comment \"mine\" /shared/comment {3+}\r\nall)"))
                    .isEqualTo("OK Setmetadata completed");
            assertThat(c.command("GETMETADATA \"\" (/private/comment /shared/comment /private/none)")).containsExactly(
                    "* METADATA \"\" (/private/comment {4}", "mine /shared/comment {3}", "all /private/none NIL)",
                    "t3 OK Getmetadata completed");
            assertThat(c.tagged("SETMETADATA INBOX (/PRIVATE/Filters \"f\" /private/filters/a \"1\""
                    + " /private/filters/a/b \"2\")")).isEqualTo("OK Setmetadata completed");
            assertThat(c.command("GETMETADATA (DEPTH 1) INBOX /private/filters")).containsExactly(
                    "* METADATA INBOX (/private/filters {1}", "f /private/filters/a {1}", "1)",
                    "t5 OK Getmetadata completed");
            assertThat(c.command("GETMETADATA (DEPTH infinity) INBOX (/private)")).containsExactly(
                    "* METADATA INBOX (/private/filters {1}", "f /private/filters/a {1}", "1 /private/filters/a/b {1}",
                    "2)", "t6 OK Getmetadata completed");
            assertThat(c.command("GETMETADATA (MAXSIZE 0 DEPTH 1) INBOX (/private/filters)")).containsExactly(
                    "t7 OK [METADATA LONGENTRIES 1] Getmetadata completed");
            assertThat(c.command("GETMETADATA (DEPTH 1) INBOX (/shared)")).containsExactly(
                    "t8 OK Getmetadata completed");
            assertThat(c.tagged("SETMETADATA INBOX (/private/filters NIL /private/filters/a \"\")"))
                    .isEqualTo("OK Setmetadata completed");
            assertThat(c.command("GETMETADATA INBOX (/private/filters /private/filters/a)")).containsExactly(
                    "* METADATA INBOX (/private/filters NIL /private/filters/a {0}", ")",
                    "t10 OK Getmetadata completed");
        }
        assertThat(metadata().entries(null).keySet()).containsExactly("/private/comment", "/shared/comment");
    }

    @Test
    void binaryValuesTravelAsLiteral8() throws Exception {
        try (RawImap c = login(server.port())) {
            assertThat(c.tagged("SETMETADATA INBOX (/private/bin ~{3+}\r\na\0b)")).isEqualTo("OK Setmetadata completed");
            assertThat(c.command("GETMETADATA INBOX /private/bin")).containsExactly(
                    "* METADATA INBOX (/private/bin ~{3}", "a\0b)", "t3 OK Getmetadata completed");
        }
        assertThat(metadata().entries(MailboxName.INBOX).get("/private/bin")).isEqualTo(new byte[] {'a', 0, 'b'});
    }

    @Test
    void limitsAnswerWithTheirCodesAndNothingOfTheCommandIsKept() throws Exception {
        try (RawImap c = login(server.port())) {
            assertThat(c.tagged("SETMETADATA INBOX (/private/a \"ok\" /private/b \"" + "x".repeat(17) + "\")"))
                    .startsWith("NO [METADATA MAXSIZE 16] ");
            assertThat(c.tagged("SETMETADATA INBOX (/private/a \"1\" /private/b \"2\" /private/c \"3\""
                    + " /private/d \"4\" /private/e \"5\")")).isEqualTo("OK Setmetadata completed");
            assertThat(c.tagged("SETMETADATA \"\" (/private/f \"6\")")).startsWith("NO [METADATA TOOMANY] ");
            assertThat(c.tagged("SETMETADATA INBOX (/private/a NIL /private/f \"6\")"))
                    .isEqualTo("OK Setmetadata completed");
            // a literal over the in-memory literal limit is refused before it is sent (no continuation)
            List<String> big = c.command("SETMETADATA INBOX (/private/big {70000}");
            assertThat(big).hasSize(1);
            assertThat(big.get(0)).startsWith("t6 NO [METADATA MAXSIZE 65536] ");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
        assertThat(metadata().entries(null)).isEmpty();
        assertThat(metadata().entries(MailboxName.INBOX).keySet())
                .containsExactly("/private/b", "/private/c", "/private/d", "/private/e", "/private/f");
    }

    @Test
    void badEntryNamesAndMissingMailboxesAreRefusedAndNothingIsStored() throws Exception {
        try (RawImap c = login(server.port())) {
            for (String entry : List.of("/foo", "private/a", "\"/private/a*\"", "\"/private/%\"", "/private//a",
                    "/private/a/", "\"/private/a b\"", "\"/private/\u00e9\"", "/private/" + "a".repeat(1020))) {
                assertThat(c.tagged("SETMETADATA INBOX (" + entry + " \"v\")")).as(entry).startsWith("BAD Entry name");
                assertThat(c.tagged("GETMETADATA INBOX " + entry)).as(entry).startsWith("BAD Entry name");
            }
            assertThat(c.tagged("SETMETADATA INBOX (/private \"v\")")).startsWith("BAD Entry name /private is a");
            assertThat(c.tagged("GETMETADATA (DEPTH 2) INBOX /private")).startsWith("BAD Invalid value for DEPTH");
            assertThat(c.tagged("GETMETADATA (MAXSIZE -1) INBOX /private")).startsWith("BAD");
            assertThat(c.tagged("GETMETADATA (COLOR 1) INBOX /private")).startsWith("BAD Unknown GETMETADATA option");
            assertThat(c.tagged("SETMETADATA INBOX (/private/a)")).startsWith("BAD");
            assertThat(c.tagged("SETMETADATA nobox (/private/a \"v\")"))
                    .isEqualTo("NO [NONEXISTENT] mailbox nobox does not exist");
            assertThat(c.tagged("GETMETADATA nobox /private/a")).startsWith("NO [NONEXISTENT] ");
            assertThat(c.tagged("GETMETADATA \"a/b\" /private/a")).startsWith("NO [NONEXISTENT] ");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
        assertThat(metadata().entries(null)).isEmpty();
        assertThat(metadata().entries(MailboxName.INBOX)).isEmpty();
    }

    @Test
    void tooManyEntriesInOneCommandIsBadAndNothingIsStored() throws Exception {
        StringBuilder set = new StringBuilder("SETMETADATA INBOX (");
        StringBuilder get = new StringBuilder("GETMETADATA INBOX (");
        for (int i = 0; i <= 1000; i++) {
            set.append(i == 0 ? "" : " ").append("/private/e").append(i).append(" NIL");
            get.append(i == 0 ? "" : " ").append("/private/e").append(i);
        }
        try (RawImap c = login(server.port())) {
            assertThat(c.tagged(set + ")")).isEqualTo("BAD more than 1000 entries in one command");
            assertThat(c.tagged(get + ")")).isEqualTo("BAD more than 1000 entries in one command");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
        assertThat(metadata().entries(MailboxName.INBOX)).isEmpty();
    }

    /** A store that keeps no metadata: METADATA is not advertised and the commands say why they cannot work. */
    @Test
    void aStoreWithoutMetadataDoesNotAdvertiseIt() throws Exception {
        MailStore plain = new MailStore() {
            @Override
            public MailAccount account(AccountId id) {
                return withoutMetadata(store.account(id));
            }

            @Override
            public void close() {
            }
        };
        try (ImapServer s = ImapServerTest.plain().store(plain).build().start(); RawImap c = login(s.port())) {
            assertThat(c.command("CAPABILITY").get(0)).doesNotContain("METADATA").contains(" SEARCHRES");
            assertThat(c.tagged("GETMETADATA \"\" /private/comment"))
                    .isEqualTo("NO [CANNOT] This server's mailbox store keeps no metadata");
            assertThat(c.tagged("SETMETADATA INBOX (/private/comment \"x\")"))
                    .isEqualTo("NO [CANNOT] This server's mailbox store keeps no metadata");
        }
    }

    /** The account as a store that predates METADATA sees it: every method but {@code metadata()}. */
    static MailAccount withoutMetadata(MailAccount a) {
        return new MailAccount() {
            @Override
            public AccountId id() {
                return a.id();
            }

            @Override
            public List<MailboxInfo> list() {
                return a.list();
            }

            @Override
            public boolean exists(MailboxName name) {
                return a.exists(name);
            }

            @Override
            public Mailbox open(MailboxName name) {
                return a.open(name);
            }

            @Override
            public void create(MailboxName name, Set<SpecialUse> specialUse) {
                a.create(name, specialUse);
            }

            @Override
            public void delete(MailboxName name) {
                a.delete(name);
            }

            @Override
            public void rename(MailboxName from, MailboxName to) {
                a.rename(from, to);
            }

            @Override
            public void subscribe(MailboxName name) {
                a.subscribe(name);
            }

            @Override
            public void unsubscribe(MailboxName name) {
                a.unsubscribe(name);
            }

            @Override
            public List<MailboxName> subscriptions() {
                return a.subscriptions();
            }

            @Override
            public Quota quota() {
                return a.quota();
            }
        };
    }

    @Test
    void entriesGoWithTheirMailbox() throws Exception {
        try (RawImap c = login(server.port())) {
            c.tagged("CREATE Work");
            c.tagged("CREATE Work.Sub");
            assertThat(c.tagged("SETMETADATA Work.Sub (/private/comment \"sub\")")).startsWith("OK");
            assertThat(c.tagged("RENAME Work Job")).startsWith("OK");
            assertThat(c.command("GETMETADATA Job.Sub /private/comment")).containsExactly(
                    "* METADATA Job.Sub (/private/comment {3}", "sub)", "t6 OK Getmetadata completed");
            assertThat(c.tagged("DELETE Job.Sub")).startsWith("OK");
            assertThat(c.tagged("CREATE Job.Sub")).startsWith("OK");
            assertThat(c.command("GETMETADATA Job.Sub /private/comment")).containsExactly(
                    "* METADATA Job.Sub (/private/comment NIL)", "t9 OK Getmetadata completed");
        }
    }

    @Test
    void theMaildirStoreKeepsEntriesAcrossARestart(@TempDir Path dir) throws Exception {
        for (int round = 0; round < 2; round++) {
            try (MaildirMailStore maildir = MaildirMailStore.builder(dir).fsync(false).build();
                 ImapServer s = ImapServerTest.plain().store(maildir).build().start();
                 RawImap c = login(s.port())) {
                if (round == 0) {
                    assertThat(c.tagged("SETMETADATA \"\" (/private/vendor/x/y {5+}\r\n\u00c3\u00bcber)"))
                            .isEqualTo("OK Setmetadata completed");
                } else {
                    List<String> r = c.command("GETMETADATA \"\" /private/vendor/x/y");
                    assertThat(r.get(0)).isEqualTo("* METADATA \"\" (/private/vendor/x/y {5}");
                    assertThat(r.get(1)).as("the UTF-8 octets as they were sent").isEqualTo("\u00fcber)");
                }
            }
        }
    }
}
