package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.SubjectTerm;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Jakarta Mail's (Angus) IMAP client against the server: reading, flags, UIDPLUS, MOVE, IDLE, folders, search. */
class JakartaMailClientTest {
    MemoryMailStore store;
    MailAccount account;
    ImapServer server;
    Store client;

    @BeforeEach
    void start() throws Exception {
        store = MemoryMailStore.builder().standardMailboxes().build();
        account = store.account(AccountId.parse("joe@example.com"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            inbox.append(MessageSource.ofText("From: Ann <ann@example.com>\nTo: joe@example.com\nSubject: hello\n"
                    + "Date: Mon, 1 Jan 2024 10:00:00 +0000\n\nfirst body\n"));
            inbox.append(MessageSource.ofText("From: Bob <bob@example.com>\nSubject: multipart\nMIME-Version: 1.0\n"
                    + "Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain; charset=utf-8\n"
                    + "Content-Transfer-Encoding: quoted-printable\n\nGr=C3=BC=C3=9Fe\n--zz\nContent-Type: "
                    + "application/octet-stream; name=a.bin\nContent-Disposition: attachment; filename=a.bin\n"
                    + "Content-Transfer-Encoding: base64\n\nAAECAwQ=\n--zz--\n"));
        }
        server = ImapServerTest.plain().store(store).build().start();
        client = session().getStore("imap");
        client.connect("127.0.0.1", server.port(), "joe@example.com", "secret");
    }

    static Session session() {
        Properties p = new Properties();
        p.put("mail.imap.connectiontimeout", "10000");
        p.put("mail.imap.timeout", "10000");
        p.put("mail.imap.writetimeout", "10000");
        p.put("mail.debug", System.getenv().getOrDefault("MAILKIT_DEBUG", "false"));
        return Session.getInstance(p);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.close();
        store.close();
    }

    @Test
    void readsMessagesStructureAndContent() throws Exception {
        Folder inbox = client.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);
        assertThat(inbox.getMessageCount()).isEqualTo(2);
        Message[] msgs = inbox.getMessages();
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.ENVELOPE);
        fp.add(FetchProfile.Item.FLAGS);
        fp.add(FetchProfile.Item.CONTENT_INFO);
        fp.add(UIDFolder.FetchProfileItem.UID);
        inbox.fetch(msgs, fp);
        assertThat(msgs[0].getSubject()).isEqualTo("hello");
        assertThat(((InternetAddress) msgs[0].getFrom()[0]).getPersonal()).isEqualTo("Ann");
        assertThat(msgs[0].getSentDate()).isNotNull();
        assertThat(msgs[0].getContent()).isEqualTo("first body\r\n");
        assertThat(((UIDFolder) inbox).getUID(msgs[1])).isEqualTo(2);
        MimeMultipart mp = (MimeMultipart) msgs[1].getContent();
        assertThat(mp.getCount()).isEqualTo(2);
        assertThat(mp.getBodyPart(0).getContent()).isEqualTo("Grüße");
        MimeBodyPart att = (MimeBodyPart) mp.getBodyPart(1);
        assertThat(att.getFileName()).isEqualTo("a.bin");
        assertThat(att.getInputStream().readAllBytes()).containsExactly(0, 1, 2, 3, 4);
        assertThat(inbox.search(new SubjectTerm("multi"))).hasSize(1);
        inbox.close(false);
    }

    @Test
    void flagsUidplusMoveAndExpunge() throws Exception {
        IMAPFolder inbox = (IMAPFolder) client.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        Message first = inbox.getMessage(1);
        first.setFlag(Flags.Flag.FLAGGED, true);
        first.setFlags(new Flags("$Label1"), true);
        assertThat(first.isSet(Flags.Flag.FLAGGED)).isTrue();
        assertThat(first.getFlags().getUserFlags()).contains("$Label1");

        MimeMessage m = new MimeMessage(session());
        m.setSubject("appended");
        m.setText("appended body");
        m.setFrom("me@example.com");
        AppendUID[] appended = inbox.appendUIDMessages(new Message[] {m});
        assertThat(appended[0].uid).isEqualTo(3);
        assertThat(appended[0].uidvalidity).isEqualTo(inbox.getUIDValidity());
        assertThat(inbox.getMessageCount()).isEqualTo(3);

        AppendUID[] copied = inbox.copyUIDMessages(new Message[] {inbox.getMessage(3)}, client.getFolder("Archive"));
        assertThat(copied[0].uid).isEqualTo(1);
        Message moved = inbox.getMessage(3);
        inbox.moveMessages(new Message[] {moved}, client.getFolder("Trash"));
        assertThat(moved.isExpunged()).isTrue(); // the server's EXPUNGE reached the client

        Folder trash = client.getFolder("Trash");
        trash.open(Folder.READ_ONLY);
        assertThat(trash.getMessage(1).getSubject()).isEqualTo("appended");
        trash.close(false);

        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        Message[] gone = inbox.expunge();
        assertThat(gone).hasSizeGreaterThanOrEqualTo(1);
        assertThat(inbox.getMessageCount()).isEqualTo(1);
        assertThat(inbox.getMessage(1).getSubject()).isEqualTo("multipart");
        inbox.close(true);
    }

    @Test
    void foldersCreateListRenameDelete() throws Exception {
        Folder root = client.getDefaultFolder();
        assertThat(root.getSeparator()).isEqualTo('.');
        Folder projects = client.getFolder("Projects");
        assertThat(projects.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS)).isTrue();
        Folder sub = projects.getFolder("Entwürfe");
        assertThat(sub.create(Folder.HOLDS_MESSAGES)).isTrue();
        assertThat(Arrays.stream(root.list("*")).map(Folder::getFullName))
                .contains("INBOX", "Projects", "Projects.Entwürfe", "Sent", "Trash");
        assertThat(Arrays.stream(projects.list()).map(Folder::getName)).containsExactly("Entwürfe");
        Folder renamed = client.getFolder("Projects.Done");
        assertThat(sub.renameTo(renamed)).isTrue();
        assertThat(renamed.exists()).isTrue();
        assertThat(renamed.delete(false)).isTrue();
        assertThat(client.getFolder("Nope").exists()).isFalse();
        sub = client.getFolder("Projects");
        sub.setSubscribed(true);
        assertThat(Arrays.stream(root.listSubscribed("*")).map(Folder::getFullName)).contains("Projects");
        IMAPStore imap = (IMAPStore) client;
        assertThat(imap.hasCapability("IDLE")).isTrue();
        assertThat(imap.hasCapability("MOVE")).isTrue();
        assertThat(imap.hasCapability("UIDPLUS")).isTrue();
    }

    @Test
    void idleHearsOfNewMailPromptly() throws Exception {
        IMAPFolder inbox = (IMAPFolder) client.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        CountDownLatch arrived = new CountDownLatch(1);
        AtomicReference<Message> added = new AtomicReference<>();
        inbox.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
                added.set(e.getMessages()[0]); // no commands from inside IDLE's event
                arrived.countDown();
            }
        });
        Thread idler = new Thread(() -> {
            try {
                while (arrived.getCount() > 0) {
                    inbox.idle(true);
                }
            } catch (Exception ignored) {
                // the folder is closed at the end
            }
        });
        idler.start();
        // whether this lands before or during IDLE, the client hears of it (IDLE first reports what is pending)
        try (Mailbox box = account.open(MailboxName.INBOX)) {
            box.append(MessageSource.ofText("Subject: pushed\n\nnew mail\n"));
        }
        assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();
        idler.join(10_000);
        assertThat(added.get().getSubject()).isEqualTo("pushed");
        inbox.close(false);
    }
}
