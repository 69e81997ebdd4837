package dev.mailkit.examples;

import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runnable server in a child JVM whose descriptor limit is lowered ({@code prlimit --pid}) to a few above what
 * it uses, then exhausted with idle IMAP connections ({@code EMFILE}): the process stays up; the accept loops wait
 * instead of spinning and log the run of failures once, not every 50 ms; sessions already open get a temporary
 * refusal where their command needs a file (SMTP {@code 4xx} after DATA, IMAP {@code NO} to APPEND, POP3
 * {@code -ERR} to RETR; the SMTP session goes on after its refusal), and nothing acknowledged is lost; once the idle
 * connections close, the connections that waited in the backlog are greeted and everything works again, on the same
 * sessions, without a restart. The server loads its classes at start ({@code ClassPreloader}): a class first needed
 * on an error path could not be read then. Linux with util-linux's {@code prlimit}; skipped otherwise.
 */
class OutOfDescriptorsTest {
    private static final Pattern PORT = Pattern.compile("^  (SMTP \\(MX\\)|IMAP|POP3)\\s+[\\d.]+:(\\d+)", Pattern.MULTILINE);

    @TempDir
    Path tmp;
    private Process server;
    private final List<Socket> flood = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket s : flood) {
            s.close();
        }
        if (server != null) {
            server.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void exhaustedDescriptorsGiveTemporaryRefusalsAndTheServerServesAgainWhenTheyAreFree() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")) && Files.isExecutable(Path.of("/usr/bin/prlimit")),
                "needs Linux and prlimit (util-linux)");
        Path data = tmp.resolve("data");
        Path out = tmp.resolve("server.out");
        Path err = tmp.resolve("server.err");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), MailkitServerMain.class.getName(),
                "--data", data.toString(), "--domain", "local.test", "--user", "rcpt@local.test:secret"));
        for (String p : List.of("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s", "managesieve", "http")) {
            cmd.addAll(List.of("--" + p + "-port", "0"));
        }
        server = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Map<String, Integer> ports = awaitPorts(server, out, err);
        int mx = ports.get("SMTP (MX)");
        int imap = ports.get("IMAP");
        int pop3 = ports.get("POP3");
        SSLContext trustAll = TestClients.trustAll();

        sendOk(mx, "before"); // loads the mailbox; acknowledged
        try (RawClient smtp = new RawClient(mx); RawClient im = TestClients.imapLogin(imap, trustAll);
             RawClient pop = popLogin(pop3, trustAll)) {
            smtp.readReply();
            assertThat(smtp.command("EHLO client.test")).startsWith("250");
            long pid = server.pid();
            int used = openDescriptors(pid);
            String limit = Integer.toString(used + 24);
            assertThat(run("prlimit", "--pid", Long.toString(pid), "--nofile=" + limit + ":" + limit)).isEmpty();
            // idle connections until the server cannot accept any more
            for (int i = 0; i < 64; i++) {
                flood.add(new Socket("127.0.0.1", imap));
            }
            awaitLog(err, "accept failed"); // the limit is reached (it bounds descriptor numbers, not their count)

            // sessions that were open get temporary refusals where they need a file
            assertThat(smtp.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
            assertThat(smtp.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.send(message("while out of descriptors") + ".\r\n");
            assertThat(smtp.readReply()).matches("45[0-9] 4\\.[0-9.]+ .*");
            assertThat(smtp.command("RSET")).as("the session goes on after the 4xx").startsWith("250");
            String append = TestClients.append(im, "a1", message("appended while out of descriptors"));
            assertThat(append).startsWith("a1 NO ").doesNotContain("[SERVERBUG]");
            assertThat(pop.command("RETR 1")).startsWith("-ERR");
            assertThat(server.isAlive()).isTrue();
            long failures = countLines(err, "accept failed");
            assertThat(failures).as("accept failures logged (a run is logged once)").isBetween(1L, 3L);

            // descriptors are free again: the waiting connections are greeted, everything works
            for (Socket s : flood) {
                s.close();
            }
            flood.clear();
            try (RawClient late = new RawClient(imap)) {
                assertThat(late.readLine()).startsWith("* OK");
            }
            awaitLog(err, "accepting again");
            sendOk(mx, "after");
            assertThat(smtp.command("MAIL FROM:<someone@remote.test>")).startsWith("250"); // the session kept open
            assertThat(smtp.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(smtp.command("DATA")).startsWith("354");
            smtp.send(message("after, on the session that was refused") + ".\r\n");
            assertThat(smtp.readReply()).startsWith("250");
            assertThat(TestClients.append(im, "a2", message("appended after"))).startsWith("a2 OK");
            assertThat(im.command("a3 STATUS INBOX (MESSAGES)")).contains("(MESSAGES 4)");
        }
        try (RawClient pop = popLogin(pop3, trustAll)) {
            assertThat(pop.command("STAT")).startsWith("+OK 4 ");
            assertThat(pop.command("RETR 1")).startsWith("+OK");
        }
        try (Stream<Path> files = Files.walk(data.resolve("local.test/rcpt"))) {
            assertThat(files.filter(p -> p.getParent().getFileName().toString().equals("tmp")
                    && Files.isRegularFile(p))).as("half-written files in tmp/").isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Map<String, Integer> awaitPorts(Process server, Path out, Path err) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && server.isAlive()) {
            String text = Files.readString(out);
            if (text.contains("\n  POP3 ")) {
                Map<String, Integer> ports = new HashMap<>();
                Matcher m = PORT.matcher(text);
                while (m.find()) {
                    ports.putIfAbsent(m.group(1), Integer.parseInt(m.group(2)));
                }
                return ports;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start (" + (server.isAlive() ? "running" : "exited with "
                + server.exitValue()) + "): " + Files.readString(out) + Files.readString(err));
    }

    private static void awaitLog(Path err, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.readString(err).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not log '" + text + "': " + Files.readString(err));
    }

    private static long countLines(Path err, String text) throws IOException {
        try (Stream<String> lines = Files.lines(err)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    private static int openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    private static String message(String subject) {
        return "From: someone@remote.test\r\nTo: rcpt@local.test\r\nSubject: " + subject + "\r\n\r\nbody of "
                + subject + "\r\n";
    }

    private static void sendOk(int port, String subject) throws IOException {
        try (RawClient c = new RawClient(port)) {
            assertThat(c.readReply()).startsWith("220");
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<someone@remote.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<rcpt@local.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            c.send(message(subject) + ".\r\n");
            assertThat(c.readReply()).startsWith("250");
        }
    }

    private static RawClient popLogin(int port, SSLContext tls) throws IOException {
        RawClient c = new RawClient(port);
        assertThat(c.readLine()).startsWith("+OK");
        assertThat(c.command("STLS")).startsWith("+OK");
        c.startTls(tls);
        assertThat(c.command("USER rcpt@local.test")).startsWith("+OK");
        assertThat(c.command("PASS secret")).startsWith("+OK");
        return c;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return text;
    }
}
