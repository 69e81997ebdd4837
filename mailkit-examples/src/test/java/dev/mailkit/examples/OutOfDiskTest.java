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
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runnable server with its data directory (Maildir store, SMTP spool) on a small {@code tmpfs} that the test
 * mounts and fills: new mail is refused with {@code 452 4.3.1} before anything is acknowledged, a message that stops
 * fitting while it is written is answered {@code 452 4.3.1} after its end (the session goes on) and leaves no file in
 * any mailbox or the spool, IMAP APPEND is refused with {@code NO [OVERQUOTA] Not enough disk space} (not
 * {@code [SERVERBUG]}, not a dropped connection), and once the space is back everything works without a restart.
 * The relay queue (submission to a remote recipient) the same: {@code 452 4.3.1}, no message in the queue, the next
 * message queued whole once there is space.
 * Needs root (to mount); skipped with the reason otherwise. (A read-only remount cannot be tested this way: the
 * kernel refuses {@code remount,ro} while the store holds its index journals open for writing.)
 */
class OutOfDiskTest {
    /** The runnable server refuses new mail below 64 MiB free; the file system is a little bigger. */
    private static final long SIZE = MailkitServerMain.MIN_FREE_SPACE + 8L * 1024 * 1024;

    @TempDir
    Path tmp;
    private Path data;
    private boolean mounted;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void mount() throws Exception {
        assumeTrue(run("id", "-u").strip().equals("0"), "needs root to mount a tmpfs (run as root, as .ci/run does)");
        data = tmp.resolve("fs");
        Files.createDirectories(data);
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", data.toString());
        assumeTrue(mountPointOf(data), "cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): " + out);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", data.toString());
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

    /**
     * A smart host that takes connections (the kernel's backlog) and never greets: relayed mail stays in the queue's
     * log, where it was first written, until the test ends.
     */
    private static java.net.ServerSocket silentRelayHost() throws IOException {
        return new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    }

    @Test
    void theRelayQueueOnAFullDiskRefusesBeforeAcknowledgingAndKeepsNoHalfWrittenMessage() throws Exception {
        final long size;
        java.net.ServerSocket silent = silentRelayHost();
        String relayHost = "127.0.0.1:" + silent.getLocalPort();
        try (silent; MailkitServerMain.Running r = start("--relay-host", relayHost)) {
            Path filler = data.resolve("filler");
            fillLeaving(filler, 1024 * 1024);
            try (RawClient c = submission(r)) {
                assertThat(c.command("MAIL FROM:<rcpt@local.test>")).isEqualTo("452 4.3.1 Insufficient system storage");
            }
            Files.delete(filler);
            // big (a file of its own in the queue) and small (appended to the queue's log) messages that stop
            // fitting while they are written
            for (int bytes : new int[] {4 * 1024 * 1024, 200 * 1024}) {
                try (RawClient c = submission(r)) {
                    assertThat(c.command("MAIL FROM:<rcpt@local.test>")).startsWith("250");
                    assertThat(c.command("RCPT TO:<someone@remote.test>")).startsWith("250");
                    assertThat(c.command("DATA")).startsWith("354");
                    fillLeaving(filler, 64 * 1024);
                    c.send(message("relayed while full " + bytes, bytes) + ".\r\n");
                    assertThat(c.readReply()).isEqualTo("452 4.3.1 Insufficient system storage");
                    assertThat(c.command("NOOP")).startsWith("250");
                }
                Files.delete(filler);
                assertThat(r.relay().size()).as("messages in the relay queue after a refusal").isZero();
                assertNoMessageFiles();
            }
            // space is back, no restart: the next message is queued whole (the queue's log goes on where the
            // refused record began: a torn record left in front of it made recovery drop it)
            String subject = "relayed after the disk was freed";
            String text = message(subject, 100 * 1024) + "the last line of the message\r\n";
            try (RawClient c = submission(r)) {
                assertThat(c.command("MAIL FROM:<rcpt@local.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<someone@remote.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                c.send(text + ".\r\n");
                assertThat(c.readReply()).startsWith("250");
            }
            assertThat(r.relay().size()).isEqualTo(1);
            size = r.relay().list().get(0).size();
            // the queue's files as a kill -9 would leave them now (the 250 came after they were synced): a queue
            // started on a copy of them recovers the message from the log
            Path copy = tmp.resolve("queue-at-crash");
            try (Stream<Path> files = Files.walk(r.relay().directory())) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path to = copy.resolve(r.relay().directory().relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else if (!f.getFileName().toString().equals("lock")) {
                        Files.copy(f, to);
                    }
                }
            }
            try (dev.mailkit.relay.RelayQueue recovered = dev.mailkit.relay.RelayQueue.builder(copy)
                    .smartHost(dev.mailkit.relay.SmartHost.parse(relayHost).build()).build().start()) {
                assertThat(recovered.list()).as("the queue recovered after a crash").hasSize(1);
                assertThat(recovered.list().get(0).size()).isEqualTo(size);
            }
        }
    }

    /** A submission session after STARTTLS and AUTH PLAIN as rcpt@local.test. */
    private static RawClient submission(MailkitServerMain.Running r) throws IOException {
        RawClient c = new RawClient(r.smtp().port(SmtpRole.SUBMISSION));
        c.readReply();
        c.command("EHLO client.test");
        assertThat(c.command("STARTTLS")).startsWith("220");
        c.startTls(r.tls().clientSslContext());
        c.command("EHLO client.test");
        String plain = java.util.Base64.getEncoder().encodeToString("\0rcpt@local.test\0secret"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(c.command("AUTH PLAIN " + plain)).startsWith("235");
        return c;
    }

    @Test
    void aFullDiskRefusesMailBeforeAcknowledgingAnythingAndRecoversWithoutRestart() throws Exception {
        try (MailkitServerMain.Running r = start()) {
            int mx = r.smtp().port(SmtpRole.MX);
            Path filler = data.resolve("filler");
            fillLeaving(filler, 1024 * 1024);
            try (RawClient c = new RawClient(mx)) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<someone@remote.test>")).isEqualTo("452 4.3.1 Insufficient system storage");
                assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("503");
            }
            try (RawClient c = imapLogin(r)) {
                String append = TestClients.append(c, "a1", message("appended while full", 2 * 1024 * 1024));
                assertThat(append).isEqualTo("a1 NO [OVERQUOTA] Not enough disk space");
                assertThat(c.command("a2 NOOP")).startsWith("a2 OK"); // the session goes on
            }
            assertNoMessageFiles();
            assertThat(inboxCount(r)).isZero();

            // space is back: no restart
            Files.delete(filler);
            sendOk(mx, "after the disk was freed", 1000);
            try (RawClient c = imapLogin(r)) {
                assertThat(TestClients.append(c, "b1", message("appended after", 1000))).startsWith("b1 OK");
            }
            assertThat(inboxCount(r)).isEqualTo(2);
        }
    }

    @Test
    void aMessageThatStopsFittingWhileWrittenIsRefusedAndLeavesNoFile() throws Exception {
        try (MailkitServerMain.Running r = start()) {
            int mx = r.smtp().port(SmtpRole.MX);
            Path filler = data.resolve("filler");
            try (RawClient c = new RawClient(mx)) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
                assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
                assertThat(c.command("DATA")).startsWith("354");
                fillLeaving(filler, 256 * 1024); // another writer takes the space while the message comes in
                c.send(message("too big for what is left", 4 * 1024 * 1024) + ".\r\n");
                assertThat(c.readReply()).isEqualTo("452 4.3.1 Insufficient system storage");
                assertThat(c.command("NOOP")).startsWith("250"); // the session goes on
            }
            assertNoMessageFiles();
            assertThat(inboxCount(r)).isZero();
            Files.delete(filler);
            sendOk(mx, "after the disk was freed", 4 * 1024 * 1024);
            assertThat(inboxCount(r)).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String message(String subject, int bodySize) {
        StringBuilder sb = new StringBuilder("From: someone@remote.test\r\nTo: rcpt@local.test\r\nSubject: ")
                .append(subject).append("\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        while (sb.length() < bodySize) {
            sb.append(line);
        }
        return sb.toString();
    }

    private static void sendOk(int port, String subject, int size) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.readReply();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send(message(subject, size) + ".\r\n");
            assertThat(c.readReply()).startsWith("250");
        }
    }

    private RawClient imapLogin(MailkitServerMain.Running r) throws IOException {
        return TestClients.imapLogin(r.imap().port(), r.tls().clientSslContext());
    }

    private int inboxCount(MailkitServerMain.Running r) throws IOException {
        try (Mailbox inbox = r.store().account(MailAddress.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
            return inbox.status().messages();
        }
    }

    /** No message file in any new/, cur/ or tmp/ of the Maildirs, nor in the SMTP spool. */
    private void assertNoMessageFiles() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(data)) {
            all.filter(Files::isRegularFile).forEach(p -> {
                String dir = p.getParent().getFileName().toString();
                if (dir.equals("new") || dir.equals("cur") || dir.equals("tmp")
                        || p.toString().contains("/.spool/")) {
                    found.add(p);
                }
            });
        }
        try (Stream<Path> all = Files.walk(data)) {
            all.filter(Files::isRegularFile).filter(p -> p.toString().contains("/.relay-queue/"))
                    .filter(p -> p.getFileName().toString().endsWith(".msg")
                            || p.getFileName().toString().endsWith(".tmp")).forEach(found::add);
        }
        assertThat(found).as("message files left on the full file system").isEmpty();
    }

    /** Writes {@code file} until the file system has about {@code leave} bytes usable. */
    private void fillLeaving(Path file, long leave) throws IOException {
        long usable = Files.getFileStore(data).getUsableSpace();
        long want = usable - leave;
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'f');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < want; written += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, want - written));
            }
        }
        assertThat(Files.getFileStore(data).getUsableSpace()).isLessThanOrEqualTo(leave + 64 * 1024);
    }

    private boolean mountPointOf(Path dir) throws Exception {
        return run("findmnt", "-n", "-o", "FSTYPE", "--mountpoint", dir.toString()).strip().equals("tmpfs");
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return out;
    }
}
