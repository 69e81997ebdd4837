package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UTF8=ACCEPT (RFC 6855): after ENABLE, mailbox names travel in UTF-8 both ways (no modified UTF-7, '&' is a
 * character), strings may be quoted UTF-8, and APPEND takes its UTF8 data item; a client that did not enable it
 * still sees modified UTF-7. With Python's imaplib, which speaks UTF8=ACCEPT, and raw bytes.
 */
class Utf8AcceptTest {
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
    void pythonImaplibEnablesUtf8AcceptAndUsesUtf8MailboxNames() throws Exception {
        try (Mailbox inbox = store.account(DovecotFixture.JOE).open(MailboxName.INBOX)) {
            inbox.append(MessageSource.ofText("From: \"Shöp ✓\" <shop@example.test>\nSubject: Grüße aus Köln\n"
                    + "Date: Mon, 1 Jan 2024 10:00:00 +0000\n\nHallo\n"));
        }
        server = ImapServerTest.plain().store(store).build().start();
        Path script = Files.writeString(dir.resolve("c.py"), String.join("\n",
                "import imaplib, sys",
                "c = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "c.login('joe@example.com', 'secret')",
                "print('caps', 'UTF8=ACCEPT' in c.capability()[1][0].decode().split())",
                "print('enable', c.enable('UTF8=ACCEPT'))",
                "print('create', c.create('\"Entwürfe\"')[0])",
                "print('create&', c.create('\"Tom & Jerry\"')[0])",
                "typ, names = c.list()",
                "for n in sorted(names): print('list', n.decode('utf-8'))",
                "print('select', c.select('\"Entwürfe\"')[0])",
                "print('select', c.select('INBOX')[0])",
                "typ, data = c.fetch('1', '(ENVELOPE)')",
                "print('envelope', data[0].decode('utf-8'))",
                "c.logout()",
                ""));
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), script.toString(),
                Integer.toString(server.port())), null, Duration.ofSeconds(60)).assertSuccess();
        assertThat(r.stdout).contains("caps True").contains("enable ('OK'")
                .contains("create OK").contains("create& OK")
                .contains("list (\\HasNoChildren) \".\" \"Entwürfe\"")
                .contains("list (\\HasNoChildren) \".\" \"Tom & Jerry\"")
                .contains("select OK")
                .contains("\"Grüße aus Köln\"").contains("((\"Shöp ✓\" NIL \"shop\" \"example.test\"))");
        assertThat(store.account(DovecotFixture.JOE).exists(MailboxName.of("Entwürfe"))).isTrue();
        assertThat(store.account(DovecotFixture.JOE).exists(MailboxName.of("Tom & Jerry"))).isTrue();
    }

    @Test
    void appendTakesTheUtf8DataItemAndClientsWithoutUtf8AcceptSeeModifiedUtf7() throws Exception {
        server = ImapServerTest.plain().store(store).build().start();
        byte[] message = ("From: jörg@bücher.example\r\nSubject: Grüße\r\n\r\nhi\r\n").getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            read(in, "* OK");
            send(out, "a LOGIN joe@example.com secret\r\n");
            read(in, "a OK");
            send(out, "b APPEND INBOX UTF8 (~{" + message.length + "+}\r\n");
            out.write(message);
            send(out, ")\r\n");
            assertThat(read(in, "b ")).as("UTF8 data item before ENABLE").contains("b BAD");
            send(out, "c ENABLE UTF8=ACCEPT\r\n");
            assertThat(read(in, "c OK")).contains("* ENABLED UTF8=ACCEPT");
            send(out, "d APPEND INBOX UTF8 (~{" + message.length + "+}\r\n");
            out.write(message);
            send(out, ")\r\n");
            assertThat(read(in, "d ")).contains("d OK");
            send(out, "e CREATE \"Entwürfe\"\r\n");
            assertThat(read(in, "e ")).contains("e OK");
            send(out, "f SELECT INBOX\r\n");
            read(in, "f OK");
            send(out, "g ENABLE UTF8=ACCEPT\r\n");
            assertThat(read(in, "g OK")).as("already enabled: nothing new").contains("* ENABLED\r\n");
        }
        try (Mailbox inbox = store.account(DovecotFixture.JOE).open(MailboxName.INBOX);
             MessageSource m = inbox.content(1).orElseThrow()) {
            assertThat(m.toByteArray()).isEqualTo(message);
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            read(in, "* OK");
            send(out, "a LOGIN joe@example.com secret\r\n");
            read(in, "a OK");
            send(out, "b LIST \"\" *\r\n");
            assertThat(read(in, "b OK")).contains("\".\" Entw&APw-rfe\r\n").doesNotContain("ü");
        }
    }

    private static void send(OutputStream out, String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads until a line starts with the prefix; returns everything read. */
    private static String read(InputStream in, String prefix) throws Exception {
        StringBuilder all = new StringBuilder();
        StringBuilder line = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            bytes.write(b);
            if (b == '\n') {
                String l = bytes.toString(StandardCharsets.UTF_8);
                bytes.reset();
                all.append(l);
                if (l.startsWith(prefix)) {
                    return all.toString();
                }
            }
        }
        throw new AssertionError("connection closed before '" + prefix + "': " + all + line);
    }
}
