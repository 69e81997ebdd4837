package dev.mailkit.imap;

import dev.mailkit.imap.testing.RawImap;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOTIFY (RFC 5465) over real sockets, two sessions of one user: what the second session does (APPEND, STORE,
 * EXPUNGE) reaches the first without a command, as STATUS for a watched mailbox that is not selected and as EXISTS,
 * FETCH and EXPUNGE for the selected one (SELECTED-DELAYED holds the EXPUNGE until a command); NOTIFY NONE stops it;
 * bad event lists, unknown filters and huge mailbox lists are refused with BAD or NO [BADEVENT]/[LIMIT] and leave the
 * watch that was set before as it was.
 */
class NotifyTest {
    static final String MSG = "From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n";

    MemoryMailStore store;
    MailAccount account;
    ImapServer server;

    @BeforeEach
    void start() {
        store = MemoryMailStore.builder().build();
        account = store.account(AccountId.parse("joe@example.com"));
        account.create(MailboxName.of("Work"));
        server = ImapServerTest.plain().store(store).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    RawImap login() throws Exception {
        RawImap c = new RawImap(server.port());
        c.greeting();
        assertThat(c.tagged("LOGIN joe@example.com secret")).endsWith("Logged in");
        return c;
    }

    static void append(RawImap c, String mailbox) throws IOException {
        assertThat(c.tagged("APPEND " + mailbox + " {" + MSG.length() + "+}\r\n" + MSG)).contains("Append completed");
    }

    /** Reads unsolicited lines until one starts with the prefix (the client's read timeout bounds the wait). */
    static List<String> awaitLine(RawImap c, String prefix) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = c.line();
            if (l == null) {
                throw new IOException("connection closed waiting for " + prefix + "; got " + lines);
            }
            lines.add(l);
            if (l.startsWith(prefix)) {
                return lines;
            }
        }
    }

    @Test
    void anotherSessionsChangesToAWatchedMailboxArriveAsStatus() throws Exception {
        long uidValidity;
        try (var work = account.open(MailboxName.of("Work"))) {
            uidValidity = work.uidValidity();
        }
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.command("NOTIFY SET STATUS (mailboxes Work (MessageNew MessageExpunge FlagChange))"))
                    .containsExactly("* STATUS Work (MESSAGES 0 UIDNEXT 1 UIDVALIDITY " + uidValidity + ")",
                            "t2 OK NOTIFY completed");
            append(b, "Work");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Work (MESSAGES 1 UIDNEXT 2 UNSEEN 1)");
            assertThat(b.tagged("SELECT Work")).contains("OK [READ-WRITE]");
            assertThat(b.tagged("STORE 1 +FLAGS (\\Seen)")).contains("OK");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Work (UNSEEN 0)");
            assertThat(b.tagged("STORE 1 +FLAGS (\\Deleted)")).contains("OK");
            assertThat(b.command("EXPUNGE")).contains("* 1 EXPUNGE");
            // the \Deleted flag changed nothing reported; the expunge is the next STATUS
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Work (MESSAGES 0 UIDNEXT 2)");
            assertThat(a.command("NOOP")).containsExactly("t3 OK NOOP completed");
        }
    }

    @Test
    void theSelectedMailboxHearsExistsFetchAndExpungeWithoutACommand() throws Exception {
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.tagged("SELECT INBOX")).contains("OK [READ-WRITE]");
            assertThat(a.tagged("NOTIFY SET (selected (MessageNew MessageExpunge FlagChange))"))
                    .isEqualTo("OK NOTIFY completed");
            append(b, "INBOX");
            assertThat(awaitLine(a, "* 1 EXISTS")).containsExactly("* 1 EXISTS");
            assertThat(b.tagged("SELECT INBOX")).contains("OK [READ-WRITE]");
            assertThat(b.tagged("STORE 1 +FLAGS (\\Flagged \\Deleted)")).contains("OK");
            List<String> flags = awaitLine(a, "* 1 FETCH");
            assertThat(flags.get(flags.size() - 1)).contains("\\Flagged").contains("\\Deleted");
            assertThat(b.command("EXPUNGE")).contains("* 1 EXPUNGE");
            assertThat(awaitLine(a, "* 1 EXPUNGE")).last().isEqualTo("* 1 EXPUNGE");
            assertThat(a.line()).isEqualTo("* 0 RECENT"); // the message was \Recent in this session (as Dovecot)
            assertThat(a.command("NOOP")).containsExactly("t4 OK NOOP completed");
        }
    }

    @Test
    void messageNewWithFetchAttributesSendsThemAfterExists() throws Exception {
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.tagged("SELECT INBOX")).contains("OK [READ-WRITE]");
            assertThat(a.tagged("NOTIFY SET (mailboxes Work (MessageNew (UID) MessageExpunge))")).isEqualTo(
                    "BAD FETCH attributes of MessageNew are for SELECTED or SELECTED-DELAYED only");
            assertThat(a.tagged("NOTIFY SET (selected (MessageNew (UID BODY[]) MessageExpunge))")).isEqualTo(
                    "BAD MessageNew's FETCH attributes must not set \\Seen: use BODY.PEEK");
            assertThat(a.tagged("NOTIFY SET (selected (MessageNew (UID FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"
                    + " MessageExpunge))")).isEqualTo("OK NOTIFY completed");
            append(b, "INBOX");
            assertThat(awaitLine(a, "* 1 FETCH")).containsExactly("* 1 EXISTS", "* 1 RECENT",
                    "* 1 FETCH (UID 1 FLAGS (\\Recent) BODY[HEADER.FIELDS (SUBJECT)] {15}");
            assertThat(a.line()).isEqualTo("Subject: hi");
            assertThat(a.line()).isEqualTo("");
            assertThat(a.line()).isEqualTo(")");
            assertThat(a.command("FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Recent))",
                    "t6 OK Fetch completed");
        }
    }

    @Test
    void selectedDelayedHoldsExpungesUntilACommandAllowsThem() throws Exception {
        try (var inbox = account.open(MailboxName.INBOX)) {
            inbox.append(dev.mailkit.core.MessageSource.ofText(MSG));
        }
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.tagged("SELECT INBOX")).contains("OK [READ-WRITE]");
            assertThat(a.tagged("NOTIFY SET (selected-delayed (MessageNew MessageExpunge FlagChange))"
                    + " (mailboxes Work (MessageNew MessageExpunge))")).isEqualTo("OK NOTIFY completed");
            assertThat(b.tagged("SELECT INBOX")).contains("OK [READ-WRITE]");
            assertThat(b.tagged("STORE 1 +FLAGS.SILENT (\\Deleted)")).contains("OK");
            assertThat(b.command("EXPUNGE")).contains("* 1 EXPUNGE");
            append(b, "Work"); // after the expunge: its STATUS comes with or after whatever the expunge caused
            List<String> heard = awaitLine(a, "* STATUS Work");
            assertThat(heard).noneMatch(l -> l.contains("EXPUNGE"));
            assertThat(heard.get(heard.size() - 1)).isEqualTo("* STATUS Work (MESSAGES 1 UIDNEXT 2)");
            assertThat(a.command("NOOP")).containsExactly("* 1 EXPUNGE", "* 0 RECENT", "t4 OK NOOP completed");
        }
    }

    @Test
    void notifyNoneStopsNotifications() throws Exception {
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.tagged("NOTIFY SET (personal (MessageNew MessageExpunge))")).isEqualTo("OK NOTIFY completed");
            append(b, "Work");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Work (MESSAGES 1 UIDNEXT 2)");
            assertThat(a.tagged("NOTIFY NONE")).isEqualTo("OK NOTIFY completed");
            append(b, "Work");
            append(b, "INBOX");
            assertThat(a.command("NOOP")).containsExactly("t4 OK NOOP completed");
        }
    }

    @Test
    void refusedNotifyCommandsLeaveTheWatchAsItWas() throws Exception {
        account.create(MailboxName.of("Other"));
        // made before any NOTIFY: created under a watch, 1001 account changes could pile up past the session's
        // overflow bound before it reads them, and end its NOTIFY with [NOTIFICATIONOVERFLOW]
        for (int i = 0; i < 1001; i++) {
            account.create(MailboxName.of("Many." + i));
        }
        try (RawImap a = login(); RawImap b = login()) {
            assertThat(a.tagged("NOTIFY SET (mailboxes Work (MessageNew MessageExpunge))"))
                    .isEqualTo("OK NOTIFY completed");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (MessageNew))"))
                    .isEqualTo("BAD MessageNew and MessageExpunge must be given together");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (FlagChange))"))
                    .isEqualTo("BAD FlagChange and AnnotationChange need MessageNew and MessageExpunge");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (MessageNew MessageExpunge Bogus))"))
                    .isEqualTo("NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange "
                            + "MailboxMetadataChange ServerMetadataChange)] Unknown event Bogus");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (MessageNew MessageExpunge AnnotationChange))"))
                    .startsWith("NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName")
                    .endsWith("] Event AnnotationChange is not supported");
            assertThat(a.tagged("NOTIFY SET (elsewhere (MessageNew MessageExpunge))")).startsWith(
                    "BAD unknown NOTIFY filter ELSEWHERE");
            assertThat(a.tagged("NOTIFY SET (selected NONE) (selected-delayed NONE)"))
                    .isEqualTo("BAD filter SELECTED-DELAYED given twice");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (MessageNew MessageExpunge)")).startsWith("BAD");
            assertThat(a.tagged("NOTIFY SET (mailboxes Other (MessageNew (UID) MessageExpunge))")).startsWith("BAD");
            assertThat(a.tagged("NOTIFY FOO")).isEqualTo("BAD NOTIFY takes NONE or SET");
            StringBuilder huge = new StringBuilder("NOTIFY SET (mailboxes (");
            for (int i = 0; i <= 1000; i++) {
                huge.append(i == 0 ? "" : " ").append("Other");
            }
            assertThat(a.tagged(huge.append(") (MessageNew MessageExpunge))").toString()))
                    .isEqualTo("BAD more than 1000 mailbox names in one NOTIFY");
            assertThat(a.tagged("NOTIFY SET (personal (MessageNew MessageExpunge))")).startsWith(
                    "NO [LIMIT] NOTIFY may watch at most 1000 mailboxes");
            // only Work is still watched: Other (named by every refused command) is silent
            append(b, "Other");
            append(b, "Work");
            assertThat(awaitLine(a, "* STATUS")).containsExactly("* STATUS Work (MESSAGES 1 UIDNEXT 2)");
            assertThat(a.command("NOOP")).hasSize(1);
        }
    }

    @Test
    void notifyNeedsALogin() throws Exception {
        try (RawImap a = new RawImap(server.port())) {
            a.greeting();
            assertThat(a.tagged("NOTIFY NONE")).isEqualTo("BAD Please log in first");
            assertThat(a.command("CAPABILITY").get(0)).doesNotContain("NOTIFY");
        }
    }
}
