package dev.mailkit.imap;

import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.testing.RawImap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile inputs of ../shared/notes/security.md, sent as bytes over a real socket: every one gets a tagged (or,
 * without a tag, untagged) BAD or NO and the connection goes on, except a non-synchronising literal too big to skip.
 */
class HostileInputTest {
    private ImapServer server;

    private RawImap connect(ImapServer.Builder b) throws Exception {
        server = b.build().start();
        RawImap c = new RawImap(server.port());
        c.greeting();
        return c;
    }

    private RawImap connect() throws Exception {
        return connect(ImapServerTest.plain());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectionFloodsAreCappedPerAddressWithAnUntaggedBye() throws Exception {
        try (RawImap a = connect(ImapServerTest.plain().maxConnectionsPerAddress(2));
             RawImap b = new RawImap(server.port()); RawImap refused = new RawImap(server.port())) {
            assertThat(b.greeting()).startsWith("* OK");
            assertThat(refused.line()).isEqualTo("* BYE [UNAVAILABLE] Too many connections, try again later");
            assertThat(refused.isClosedByServer()).isTrue();
            assertThat(a.tagged("NOOP")).startsWith("OK"); // the admitted ones go on
        }
    }

    @Test
    void hugeLiteralBeforeLoginGetsNoContinuation() throws Exception {
        try (RawImap c = connect()) {
            c.send("a LOGIN {4294967295}\r\n");
            assertThat(c.line()).isEqualTo("a BAD [TOOBIG] literal of 4294967295 octets is larger than the limit of "
                    + "8192 here");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
            c.send("b LOGIN {9000}\r\n");
            assertThat(c.line()).startsWith("b BAD [TOOBIG]");
            c.send("c LOGIN {8000}\r\n");
            assertThat(c.line()).isEqualTo("+ OK");
        }
    }

    @Test
    void hugeNonSynchronisingLiteralClosesTheConnectionCleanly() throws Exception {
        try (RawImap c = connect()) {
            c.send("a LOGIN {4294967295+}\r\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            assertThat(c.line()).startsWith("a BAD [TOOBIG]");
            assertThat(c.line()).isEqualTo("* BYE Literal too large to skip; closing connection");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void nonSynchronisingLiteralUpToTheLimitIsAcceptedBeforeLogin() throws Exception {
        try (RawImap c = connect()) {
            c.send("a LOGIN {5000+}\r\n" + "x".repeat(5000) + " y\r\nb NOOP\r\n");
            // 5000 <= 8192 is accepted as a literal; the command then fails on the password
            assertThat(c.line()).startsWith("a ");
            assertThat(c.line()).isEqualTo("b OK NOOP completed");
        }
    }

    /** RFC 2971's largest ID (30 pairs, 30-octet fields, 1024-octet values) fits before login; a longer line not. */
    @Test
    void idWithRfc2971sMaximumSizesIsAcceptedBeforeLogin() throws Exception {
        try (RawImap c = connect()) {
            StringBuilder id = new StringBuilder("a ID (");
            for (int i = 0; i < 30; i++) {
                String field = ("field" + i + "-").repeat(5).substring(0, 30);
                id.append(i == 0 ? "" : " ").append('"').append(field).append("\" \"")
                        .append(String.valueOf((char) ('a' + i % 26)).repeat(1024)).append('"');
            }
            id.append(")\r\n");
            assertThat(id.length()).isGreaterThan(31 * 1024); // 8 KiB was the limit before
            c.send(id.toString());
            assertThat(c.line()).startsWith("* ID (\"name\" ");
            assertThat(c.line()).isEqualTo("a OK ID completed");
            c.send("b ID (\"x\" \"" + "y".repeat(40 * 1024) + "\")\r\n");
            assertThat(c.line()).isEqualTo("b BAD [TOOBIG] command line longer than the limit");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void megabyteLineWithoutCrlfIsAnsweredAndSurvived() throws Exception {
        try (RawImap c = connect()) {
            c.send("a1 LOGIN " + "a".repeat(1024 * 1024) + "\r\n");
            assertThat(c.line()).isEqualTo("a1 BAD [TOOBIG] command line longer than the limit");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void garbageAndControlCharacters() throws Exception {
        try (RawImap c = connect()) {
            c.send("\u00ff\u00fe\u0000 NOOP\r\n");
            assertThat(c.line()).isEqualTo("* BAD missing or invalid tag");
            c.send("a NOOP\rb NOOP\r\n");
            assertThat(c.line()).startsWith("a BAD unexpected characters");
            c.send("c LOGIN \"x\u0000y\" z\r\n");
            assertThat(c.line()).isEqualTo("c BAD NUL in quoted string");
            c.send("d LOGIN \"unterminated\r\n");
            assertThat(c.line()).isEqualTo("d BAD unterminated quoted string");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void appendBeforeLoginNeverGetsAContinuation() throws Exception {
        try (RawImap c = connect()) {
            c.send("a APPEND INBOX {999999999}\r\n");
            assertThat(c.line()).isEqualTo("a BAD Please log in first");
            c.send("b APPEND INBOX {10+}\r\n0123456789\r\n");
            assertThat(c.line()).isEqualTo("b BAD Please log in first");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    @Test
    void appendOverTheLimitIsRefusedBeforeTheBytesAreSent() throws Exception {
        try (RawImap c = connect(ImapServerTest.plain().appendLimit(1000))) {
            c.tagged("LOGIN joe@example.com secret");
            c.send("a APPEND INBOX {999999999}\r\n");
            assertThat(c.line()).isEqualTo("a NO [TOOBIG] message of 999999999 octets is larger than the APPENDLIMIT "
                    + "of 1000");
            c.send("b APPEND INBOX (\\Seen) {2000+}\r\n" + "x".repeat(2000) + "\r\nc NOOP\r\n");
            assertThat(c.line()).startsWith("b NO [TOOBIG]");
            assertThat(c.line()).isEqualTo("c OK NOOP completed");
        }
    }

    @Test
    void malformedNestingAfterLoginIsBad() throws Exception {
        try (RawImap c = connect()) {
            c.tagged("LOGIN joe@example.com secret");
            assertThat(c.tagged("STATUS INBOX " + "(".repeat(10_000))).startsWith("BAD ");
            assertThat(c.tagged("LIST " + "(".repeat(10_000) + " \"\" *")).startsWith("BAD ");
            assertThat(c.tagged("NOOP")).isEqualTo("OK NOOP completed");
        }
    }

    private RawImap selectedWithStore() throws Exception {
        dev.mailkit.store.memory.MemoryMailStore store = dev.mailkit.store.memory.MemoryMailStore.create();
        try (dev.mailkit.store.Mailbox inbox = store.account(dev.mailkit.store.AccountId.parse("joe@example.com"))
                .open(dev.mailkit.store.MailboxName.INBOX)) {
            inbox.append(dev.mailkit.core.MessageSource.ofText("Subject: x\n\nbody\n"));
        }
        RawImap c = connect(ImapServerTest.plain().store(store));
        c.tagged("LOGIN joe@example.com secret");
        assertThat(c.tagged("SELECT INBOX")).startsWith("OK");
        return c;
    }

    @Test
    void deeplyNestedSearchIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawImap c = selectedWithStore()) {
            assertThat(c.tagged("SEARCH " + "(".repeat(10_000) + "ALL" + ")".repeat(10_000)))
                    .isEqualTo("BAD [CLIENTBUG] nesting deeper than 100 levels");
            assertThat(c.tagged("SEARCH " + "NOT ".repeat(10_000) + "ALL"))
                    .isEqualTo("BAD [CLIENTBUG] nesting deeper than 100 levels");
            assertThat(c.tagged("FETCH 1 BODY[" + "1.".repeat(5000) + "1]")).startsWith("BAD");
            assertThat(c.tagged("FETCH 1 BODY[99999999999]")).startsWith("BAD");
            assertThat(c.command("SEARCH ALL")).contains("* SEARCH 1");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void wildcardBombsInListFinishQuickly() throws Exception {
        try (RawImap c = selectedWithStore()) {
            for (int i = 0; i < 20; i++) {
                c.tagged("CREATE \"folder" + i + ".sub" + i + "\"");
            }
            String bomb = "*%".repeat(20_000) + "x";
            assertThat(c.command("LIST \"\" \"" + bomb + "\"")).hasSize(1);
            assertThat(c.command("LIST \"\" \"" + "%*".repeat(20_000) + "\"").size()).isGreaterThan(20);
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
    }

    @Test
    void keywordFloodsHitTheStoresLimit() throws Exception {
        try (RawImap c = selectedWithStore()) {
            StringBuilder flags = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                flags.append(i == 0 ? "" : " ").append("kw").append(i);
            }
            assertThat(c.tagged("STORE 1 +FLAGS (" + flags + ")")).startsWith("NO [LIMIT]");
            assertThat(c.tagged("NOOP")).startsWith("OK");
        }
    }

    @Test
    void theFailureDelayAppliesPerAddressAcrossConnections() throws Exception {
        AuthFailurePenalty penalty = AuthFailurePenalty.builder().initialDelay(java.time.Duration.ofMillis(100))
                .maxDelay(java.time.Duration.ofSeconds(1)).build();
        server = ImapServerTest.plain().authFailurePenalty(penalty).maxAuthFailures(1).build().start();
        for (int i = 0; i < 2; i++) {
            try (RawImap c = new RawImap(server.port())) {
                c.greeting();
                c.tagged("LOGIN joe@example.com wrong");
                assertThat(c.line()).isEqualTo("* BYE Too many failed logins");
            }
        }
        assertThat(penalty.failures(java.net.InetAddress.getLoopbackAddress())).isEqualTo(2);
    }
}
