package dev.mailkit.smtp;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.testsupport.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory stays bounded whatever a client announces or sends: a server in a child JVM with a 48 MiB heap accepts a
 * 120 MiB message (streamed to its spool) and drains and refuses a 200 MiB one that is over its limit.
 */
class MemoryBoundTest {
    @TempDir
    Path dir;

    @Test
    void hugeMessagesDoNotFillTheHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).startsWith("PORT ");
            int port = Integer.parseInt(first.substring(5));
            try (RawClient c = new RawClient(port, Duration.ofSeconds(60))) {
                c.readReply();
                c.command("EHLO client.test");
                assertThat(c.command("MAIL FROM:<a@remote.test> SIZE=999999999999")).startsWith("552 5.3.4");
                send(c, 120);
                assertThat(c.readReply()).startsWith("250 2.0.0 Ok");
                send(c, 200);
                assertThat(c.readReply()).startsWith("552 5.3.4");
                assertThat(c.command("QUIT")).startsWith("221");
            }
            assertThat(out.readLine()).isEqualTo("RECEIVED " + (120L * 1024 * 1024 + 18));
            p.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(rest).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static void send(RawClient c, int mebibytes) throws Exception {
        c.command("MAIL FROM:<a@remote.test>");
        c.command("RCPT TO:<x@local.test>");
        assertThat(c.command("DATA")).startsWith("354");
        OutputStream o = c.socket().getOutputStream();
        o.write("Subject: big\r\n\r\n\r\n".getBytes(StandardCharsets.US_ASCII)); // 18 octets
        byte[] line = new byte[512];
        java.util.Arrays.fill(line, (byte) 'x');
        line[510] = '\r';
        line[511] = '\n';
        for (int i = 0; i < mebibytes * 2048; i++) {
            o.write(line);
        }
        o.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
    }

    /** The server side, run in a child JVM with a small heap. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            try (SmtpServer s = SmtpServer.builder().localDomains("local.test")
                    .maxMessageSize(150L * 1024 * 1024)
                    .spool(MessageSpool.create(Path.of(args[0]), 256 * 1024))
                    .onMessage((e, m) -> {
                        long streamed;
                        byte[] head;
                        try (java.io.InputStream in = m.openStream()) {
                            head = in.readNBytes(1024);
                            streamed = head.length + in.transferTo(OutputStream.nullOutputStream());
                        }
                        // what the client sent starts after mailkit's Received header
                        int offset = new String(head, StandardCharsets.US_ASCII).indexOf("Subject: big");
                        System.out.println("RECEIVED " + (streamed - offset));
                    })
                    .build().start()) {
                System.out.println("PORT " + s.port());
                System.out.flush();
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            }
        }
    }
}
