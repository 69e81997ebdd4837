package dev.mailkit.postgres;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OBJECTID (RFC 8474) and SAVEDATE (RFC 8514) on two nodes of one database: a MAILBOXID, an EMAILID and a save date
 * read on one node are what the other reads, through a rename on the other node and for a copy made there; a row
 * saved before migration V7 (no save_date) answers no save date instead of a wrong one.
 */
class PostgresObjectIdTest {
    static final AccountId ANN = AccountId.parse("ann@example.com");

    private PostgresDatabase dbA;
    private PostgresDatabase dbB;
    private PostgresMailStore a;
    private PostgresMailStore b;

    @BeforeEach
    void twoNodes() {
        PostgresCluster cluster = PostgresCluster.get();
        String schema = cluster.newSchema();
        dbA = cluster.database(schema, "node-a");
        dbB = cluster.database(schema, "node-b");
        a = PostgresMailStore.builder(dbA).build();
        b = PostgresMailStore.builder(dbB).build();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        dbA.close();
        dbB.close();
    }

    @Test
    void bothNodesAgreeOnIdsAndSaveDates() throws Exception {
        a.account(ANN).create(MailboxName.of("Work"));
        String id;
        long uid;
        Instant saved;
        String emailId;
        try (Mailbox work = a.account(ANN).open(MailboxName.of("Work"))) {
            id = work.mailboxId();
            uid = work.append(MessageSource.ofText("Subject: shared\n\nacross nodes\n"));
            saved = work.saveDate(uid).orElseThrow();
            emailId = work.structure(uid).orElseThrow().emailId();
        }
        b.account(ANN).rename(MailboxName.of("Work"), MailboxName.of("Done"));
        try (Mailbox done = b.account(ANN).open(MailboxName.of("Done"));
             Mailbox inbox = b.account(ANN).open(MailboxName.INBOX);
             MailboxView v = done.openView(ViewMode.READ_WRITE)) {
            assertThat(done.mailboxId()).isEqualTo(id);
            assertThat(done.saveDate(uid)).contains(saved);
            assertThat(done.structure(uid).orElseThrow().emailId()).isEqualTo(emailId);
            long copy = v.copy(UidSet.of(uid), inbox).targetUids().first();
            assertThat(inbox.structure(copy).orElseThrow().emailId()).isEqualTo(emailId);
            assertThat(inbox.saveDate(copy).orElseThrow()).isAfterOrEqualTo(saved);
        }
        try (Mailbox done = a.account(ANN).open(MailboxName.of("Done"))) {
            assertThat(done.mailboxId()).isEqualTo(id);
            assertThat(done.saveDate(uid)).contains(saved);
        }
    }

    @Test
    void aRowSavedBeforeTheMigrationHasNoSaveDate() throws Exception {
        long uid;
        try (Mailbox inbox = a.account(ANN).open(MailboxName.INBOX)) {
            uid = inbox.append(MessageSource.ofText("Subject: old\n\nfrom before V7\n"));
        }
        try (Connection c = dbA.connection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE mk_message SET save_date = NULL"); // as ADD COLUMN left the old rows
        }
        try (Mailbox inbox = b.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.keepsSaveDates()).isTrue();
            assertThat(inbox.saveDate(uid)).isEmpty();
            assertThat(inbox.message(uid)).isPresent();
        }
    }
}
