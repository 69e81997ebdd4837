package dev.mailkit.examples;

import dev.mailkit.core.MailAddress;
import dev.mailkit.smtp.SmtpRole;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runnable server while its mailbox directory, its SMTP spool and its relay queue become read-only under it (a
 * read-only bind mount of each over itself, made while the server runs, as root): SMTP answers
 * {@code 451 4.3.0 Mail storage is read-only} after the content, before anything is acknowledged, and the session
 * goes on; IMAP APPEND gets {@code NO [UNAVAILABLE] Mailbox storage is read-only}; IMAP FETCH and POP3 RETR still
 * read; no file is left half-written; once the directories are writable again (remounted read-write) mail is taken
 * again, without a restart.
 *
 * <p>What a bind mount cannot make read-only: a file the server opened for writing before the mount (the relay
 * queue's current log segment, the store's lock file) stays writable through the file system underneath, so a small
 * relayed message (appended to that open log) is still queued, durably; a big one (a queue file of its own, spooled
 * first) is refused. The kernel refuses a read-only remount of a whole file system while such files are open (see
 * {@link OutOfDiskTest}). Needs root (to mount); skipped with the reason otherwise.
 */
class ReadOnlyStorageTest {
    private static final String READ_ONLY_SMTP = "451 4.3.0 Mail storage is read-only, try again later";
    private static final String READ_ONLY_IMAP = "NO [UNAVAILABLE] Mailbox storage is read-only, try again later";
    /** Above the spool's in-memory threshold: written to a file of its own (spool, queue file). */
    private static final int BIG = 4 * 1024 * 1024;

    @TempDir
    Path tmp;
    private Path data;
    private final Deque<Path> mounts = new ArrayDeque<>();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void needsRoot() throws Exception {
        assumeTrue(run("id", "-u").strip().equals("0"), "needs root to bind-mount (run as root, as .ci/run does)");
        data = tmp.resolve("data");
    }

    @AfterEach
    void unmount() throws Exception {
        while (!mounts.isEmpty()) {
            run("umount", "-l", mounts.pop().toString());
        }
    }

    @Test
    void readOnlyStorageRefusesNewMailBeforeAcknowledgingStillReadsAndRecoversWithoutRestart() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try (silent; MailkitServerMain.Running r = start("--relay-host", "127.0.0.1:" + silent.getLocalPort())) {
            int mx = r.smtp().port(SmtpRole.MX);
            assertThat(sendMx(mx, message("before", 1000))).startsWith("250");
            assertThat(sendMx(mx, message("big before", BIG))).startsWith("250");
            Path account = data.resolve("local.test").resolve("rcpt");
            Path spool = data.resolve(".spool");
            Path queue = r.relay().directory();
            Files.createDirectories(spool);
            List<Path> before = messageFiles();
            assertThat(before).hasSize(2);

            for (Path dir : List.of(account, spool, queue)) {
                readOnly(dir);
            }

            // SMTP: the content is read to its end, refused before anything is acknowledged; the session goes on
            try (RawClient c = new RawClient(mx)) {
                c.readReply();
                c.command("EHLO client.test");
                for (int size : new int[] {1000, BIG}) {
                    assertThat(c.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    c.send(message("while read-only " + size, size) + ".\r\n");
                    assertThat(c.readReply()).as("the reply to a %d-byte message", size).isEqualTo(READ_ONLY_SMTP);
                    assertThat(c.command("NOOP")).startsWith("250");
                }
            }
            try (RawClient c = OutOfDiskTest.submission(r)) {
                assertThat(c.command("MAIL FROM:<rcpt@local.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<someone@remote.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                c.send(message("relayed while read-only", BIG) + ".\r\n");
                assertThat(c.readReply()).isEqualTo(READ_ONLY_SMTP);
                assertThat(c.command("NOOP")).startsWith("250");
            }
            assertThat(r.relay().size()).as("messages in the relay queue").isZero();

            // IMAP: reads work, APPEND and flag changes are refused with a tagged NO, the session goes on
            try (RawClient c = imapLogin(r)) {
                assertThat(untilTagged(c, "s1 SELECT INBOX")).last().asString().startsWith("s1 OK");
                assertThat(untilTagged(c, "f1 FETCH 1:2 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])"))
                        .anyMatch(l -> l.equals("Subject: before")).anyMatch(l -> l.equals("Subject: big before"))
                        .last().asString().startsWith("f1 OK");
                assertThat(TestClients.append(c, "a1", message("appended while read-only", 2000)))
                        .isEqualTo("a1 " + READ_ONLY_IMAP);
                assertThat(untilTagged(c, "a2 STORE 1 +FLAGS (\\Flagged)")).last().asString()
                        .startsWith("a2 NO ").doesNotContain("SERVERBUG");
                assertThat(c.command("a3 NOOP")).startsWith("a3 OK");
            }
            // POP3: RETR reads the message
            try (RawClient c = new RawClient(r.pop3().port())) {
                assertThat(c.readLine()).startsWith("+OK");
                assertThat(c.command("STLS")).startsWith("+OK");
                c.startTls(r.tls().clientSslContext());
                assertThat(c.command("USER rcpt@local.test")).startsWith("+OK");
                assertThat(c.command("PASS secret")).startsWith("+OK");
                assertThat(c.command("RETR 1")).startsWith("+OK");
                List<String> lines = new ArrayList<>();
                for (String l = c.readLine(); !l.equals("."); l = c.readLine()) {
                    lines.add(l);
                }
                assertThat(lines).contains("Subject: before");
            }
            assertThat(messageFiles()).as("message files after the refusals").isEqualTo(before);
            assertThat(inboxCount(r)).isEqualTo(2);

            // writable again, no restart
            while (!mounts.isEmpty()) {
                Path dir = mounts.pop();
                run("mount", "-o", "remount,bind,rw", dir.toString());
                assertThat(Files.isWritable(dir)).as("%s writable again", dir).isTrue();
                run("umount", "-l", dir.toString()); // lazily: a file the server opened meanwhile keeps it busy
            }
            assertThat(sendMx(mx, message("after", 1000))).startsWith("250");
            assertThat(sendMx(mx, message("big after", BIG))).startsWith("250");
            try (RawClient c = imapLogin(r)) {
                assertThat(TestClients.append(c, "b1", message("appended after", 2000))).startsWith("b1 OK");
            }
            assertThat(inboxCount(r)).isEqualTo(5);
            try (RawClient c = OutOfDiskTest.submission(r)) {
                assertThat(c.command("MAIL FROM:<rcpt@local.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<someone@remote.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                c.send(message("relayed after", BIG) + ".\r\n");
                assertThat(c.readReply()).startsWith("250");
            }
            assertThat(r.relay().size()).isEqualTo(1);
        }
    }

    private MailkitServerMain.Running start(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--smtp-port", "0", "--submission-port", "0", "--smtps-port", "0",
                "--imap-port", "0", "--imaps-port", "0", "--pop3-port", "0", "--pop3s-port", "0", "--managesieve-port",
                "0", "--http-port", "0", "--domain", "local.test", "--user", "rcpt@local.test:secret", "--data",
                data.toString()));
        args.addAll(List.of(extra));
        ServerOptions o = ServerOptions.parse(args.toArray(new String[0]));
        return MailkitServerMain.start(o, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    /** Bind-mounts {@code dir} over itself and makes that mount read-only; fails with the kernel's answer if not. */
    private void readOnly(Path dir) throws Exception {
        String bind = run("mount", "--bind", dir.toString(), dir.toString());
        assumeTrue(isMountPoint(dir), "cannot bind-mount here (a container without CAP_SYS_ADMIN?): " + bind);
        mounts.push(dir);
        String out = run("mount", "-o", "remount,bind,ro", dir.toString());
        assertThat(run("findmnt", "-n", "-o", "OPTIONS", "--mountpoint", dir.toString()))
                .as("%s read-only (mount said: %s)", dir, out).startsWith("ro");
        assertThat(Files.isWritable(dir)).isFalse();
    }

    private static String message(String subject, int bodySize) {
        StringBuilder sb = new StringBuilder("From: someone@remote.test\r\nTo: rcpt@local.test\r\nSubject: ")
                .append(subject).append("\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (sb.length() < bodySize) {
            sb.append(line);
        }
        return sb.toString();
    }

    /** One MX transaction; the reply to the content. */
    private static String sendMx(int port, String message) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send(message + ".\r\n");
            return c.readReply();
        }
    }

    private static RawClient imapLogin(MailkitServerMain.Running r) throws IOException {
        return TestClients.imapLogin(r.imap().port(), r.tls().clientSslContext());
    }

    /** Sends an IMAP command; every line up to and including its tagged reply. */
    private static List<String> untilTagged(RawClient c, String command) throws IOException {
        String tag = command.substring(0, command.indexOf(' ') + 1);
        List<String> lines = new ArrayList<>();
        c.send(command + "\r\n");
        String l;
        do {
            l = c.readLine();
            lines.add(l);
        } while (!l.startsWith(tag));
        return lines;
    }

    private int inboxCount(MailkitServerMain.Running r) throws IOException {
        try (Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
            return inbox.status().messages();
        }
    }

    /** Every file in the Maildirs' new/, cur/ and tmp/, the SMTP spool and the relay queue's .msg and .tmp files. */
    private List<Path> messageFiles() throws IOException {
        try (Stream<Path> all = Files.walk(data)) {
            return all.filter(Files::isRegularFile).filter(p -> {
                String dir = p.getParent().getFileName().toString();
                String name = p.getFileName().toString();
                return dir.equals("new") || dir.equals("cur") || dir.equals("tmp") || p.toString().contains("/.spool/")
                        || p.toString().contains("/.relay-queue/") && (name.endsWith(".msg") || name.endsWith(".tmp"));
            }).sorted().toList();
        }
    }

    private boolean isMountPoint(Path dir) throws Exception {
        return !run("findmnt", "-n", "--mountpoint", dir.toString()).isBlank();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return out;
    }
}
