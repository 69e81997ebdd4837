package dev.mailkit.pop3;

import dev.mailkit.store.Flags;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.mailkit.pop3.Pop3Fixture.ANN;
import static dev.mailkit.pop3.Pop3Fixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/** The maildrop's life: the lock, UPDATE only at QUIT, stable UIDLs, the snapshot, \Seen, other sessions. */
class MaildropTest {
    private Pop3Fixture fx;
    private Pop3Server server;

    @BeforeEach
    void setUp() {
        fx = new Pop3Fixture();
        server = fx.start();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void aSecondSessionOfTheSameUserGetsInUse() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client first = Pop3Client.connect(server.port());
             Pop3Client second = Pop3Client.connect(server.port());
             Pop3Client other = Pop3Client.connect(server.port())) {
            assertThat(first.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(second.login(ANN, "secret")).isEqualTo("-ERR [IN-USE] Mailbox is locked by another POP3 session");
            assertThat(other.login(BOB, "hunter2")).startsWith("+OK Logged in");
            // still in AUTHORIZATION: may try again once the first session is gone
            assertThat(second.cmd("STAT")).isEqualTo("-ERR Log in first");
            assertThat(first.cmd("QUIT")).startsWith("+OK");
            assertThat(first.isClosedByServer()).isTrue();
            assertThat(second.login(ANN, "secret")).startsWith("+OK Logged in, 1 messages");
        }
    }

    @Test
    void aDroppedConnectionDeletesNothing() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        fx.deliver(ANN, Pop3Fixture.message(2));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            assertThat(c.cmd("DELE 2")).startsWith("+OK");
            c.socket().setSoLinger(true, 0); // a reset, not even a FIN after the commands
        }
        awaitUnlocked();
        assertThat(fx.count(ANN)).isEqualTo(2);
        try (Mailbox box = fx.inbox(ANN)) {
            assertThat(box.status().deleted()).isZero();
        }
    }

    @Test
    void anAutologoutDeletesNothing() throws Exception {
        Pop3Server quick = fx.start(b -> b.idleTimeout(Duration.ofMillis(300)));
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(quick.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            assertThat(c.readLine()).isEqualTo("-ERR Autologout: idle for too long");
            assertThat(c.isClosedByServer()).isTrue();
        }
        awaitUnlocked();
        assertThat(fx.count(ANN)).isEqualTo(1);
    }

    @Test
    void closingTheServerDeletesNothing() throws Exception {
        Pop3Server other = fx.start();
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(other.port())) {
            c.login(ANN, "secret");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            other.close();
            assertThat(c.isClosedByServer()).isTrue();
        }
        awaitUnlocked();
        assertThat(fx.count(ANN)).isEqualTo(1);
    }

    @Test
    void uidlsAreStableAcrossSessionsDeletionsAndServerRestarts() throws Exception {
        for (int i = 1; i <= 4; i++) {
            fx.deliver(ANN, Pop3Fixture.message(i));
        }
        List<String> before = uidls(server);
        assertThat(before).hasSize(4).doesNotHaveDuplicates();
        assertThat(uidls(server)).isEqualTo(before);
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 2");
            c.cmd("QUIT");
        }
        awaitUnlocked();
        fx.deliver(ANN, Pop3Fixture.message(5));
        server.close();
        Pop3Server restarted = fx.start();
        List<String> after = uidls(restarted);
        assertThat(after).hasSize(4);
        assertThat(after.subList(0, 3)).containsExactly(before.get(0), before.get(2), before.get(3));
        assertThat(after.get(3)).isNotIn(before);
    }

    @Test
    void uidlIsDovecotsDefaultFormat() throws Exception {
        long uid = fx.deliver(ANN, Pop3Fixture.message(1));
        long validity;
        try (Mailbox box = fx.inbox(ANN)) {
            validity = box.uidValidity();
        }
        assertThat(uidls(server)).containsExactly(String.format("%08x%08x", uid, validity));
    }

    @Test
    void messagesDeliveredDuringASessionStayInvisibleToIt() throws Exception {
        fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            long late = fx.deliver(ANN, Pop3Fixture.message(2));
            assertThat(c.cmd("STAT")).isEqualTo("+OK 1 " + Pop3Fixture.message(1).length());
            assertThat(c.cmd("LIST")).startsWith("+OK 1 messages");
            assertThat(c.multiline()).hasSize(1);
            assertThat(c.cmd("RETR 2")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 1 messages deleted");
            try (Mailbox box = fx.inbox(ANN)) {
                assertThat(box.message(late)).isPresent();
            }
        }
        awaitUnlocked();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in, 1 messages");
            assertThat(c.cmd("RETR 1")).startsWith("+OK");
            assertThat(String.join("\n", c.multiline())).contains("Subject: message 2");
        }
    }

    @Test
    void retrievedMessagesAreSeenAfterQuitButNotTopped() throws Exception {
        long u1 = fx.deliver(ANN, Pop3Fixture.message(1));
        long u2 = fx.deliver(ANN, Pop3Fixture.message(2));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.cmd("RETR 1");
            c.multiline();
            c.cmd("TOP 2 1");
            c.multiline();
            try (Mailbox box = fx.inbox(ANN)) {
                assertThat(box.message(u1).orElseThrow().flags().contains(SystemFlag.SEEN)).isFalse();
            }
            c.cmd("QUIT");
        }
        try (Mailbox box = fx.inbox(ANN)) {
            assertThat(box.message(u1).orElseThrow().flags().contains(SystemFlag.SEEN)).isTrue();
            assertThat(box.message(u2).orElseThrow().flags().contains(SystemFlag.SEEN)).isFalse();
        }
    }

    @Test
    void markSeenCanBeTurnedOff() throws Exception {
        Pop3Server plain = fx.start(b -> b.markSeen(false));
        long u1 = fx.deliver(ANN, Pop3Fixture.message(1));
        try (Pop3Client c = Pop3Client.connect(plain.port())) {
            c.login(ANN, "secret");
            c.cmd("RETR 1");
            c.multiline();
            c.cmd("QUIT");
        }
        try (Mailbox box = fx.inbox(ANN)) {
            assertThat(box.message(u1).orElseThrow().flags().isEmpty()).isTrue();
        }
    }

    @Test
    void aMessageExpungedByAnotherSessionMeanwhile() throws Exception {
        long u1 = fx.deliver(ANN, Pop3Fixture.message(1));
        fx.deliver(ANN, Pop3Fixture.message(2));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            try (Mailbox box = fx.inbox(ANN); MailboxView imap = box.openView(ViewMode.READ_WRITE)) {
                imap.store(UidSet.of(u1), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                imap.expunge();
            }
            assertThat(c.cmd("RETR 1")).isEqualTo("-ERR Message 1 was expunged by another session");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            assertThat(c.cmd("RETR 2")).startsWith("+OK");
            c.multiline();
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 0 messages deleted");
        }
        assertThat(fx.count(ANN)).isEqualTo(1);
    }

    @Test
    void messagesFlaggedDeletedElsewhereButNotDeledStay() throws Exception {
        long u1 = fx.deliver(ANN, Pop3Fixture.message(1));
        fx.deliver(ANN, Pop3Fixture.message(2));
        try (Mailbox box = fx.inbox(ANN); MailboxView imap = box.openView(ViewMode.READ_WRITE)) {
            imap.store(UidSet.of(u1), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
        }
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.login(ANN, "secret");
            c.cmd("DELE 2");
            assertThat(c.cmd("QUIT")).isEqualTo("+OK Logging out, 1 messages deleted");
        }
        try (Mailbox box = fx.inbox(ANN)) {
            assertThat(box.message(u1)).isPresent();
            assertThat(box.status().messages()).isEqualTo(1);
        }
    }

    private List<String> uidls(Pop3Server s) throws Exception {
        awaitUnlocked();
        try (Pop3Client c = Pop3Client.connect(s.port())) {
            assertThat(c.login(ANN, "secret")).startsWith("+OK Logged in");
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            List<String> lines = c.multiline();
            c.cmd("QUIT");
            return lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        }
    }

    /** Waits until no session holds ann's maildrop (a server notices a vanished client asynchronously). */
    private void awaitUnlocked() {
        Await.until("ann's maildrop to be released", Duration.ofSeconds(10), () -> {
            try (Mailbox box = fx.inbox(ANN)) {
                box.openView(ViewMode.EXCLUSIVE).close();
                return true;
            } catch (dev.mailkit.store.MailStoreException e) {
                return false;
            }
        });
    }
}
