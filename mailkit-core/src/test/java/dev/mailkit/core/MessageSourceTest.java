package dev.mailkit.core;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSourceTest {
    @TempDir
    Path spoolDir;

    static final String SIMPLE = "From: a@example.test\r\nTo: b@example.test\r\nSubject: Hello\r\n\r\nBody line\r\n";

    @Test
    void smallMessageStaysInMemoryAndReadsRepeatedly() throws Exception {
        MessageSpool spool = MessageSpool.create(spoolDir, 1024);
        MessageSpool.Writer w = spool.newWriter();
        w.write(SIMPLE.getBytes(StandardCharsets.US_ASCII));
        try (MessageSource m = w.finish()) {
            assertThat(m.isInMemory()).isTrue();
            assertThat(m.size()).isEqualTo(SIMPLE.length());
            assertThat(m.asString()).isEqualTo(SIMPLE);
            assertThat(new String(m.openStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(SIMPLE);
            assertThat(m.mimeMessage().getSubject()).isEqualTo("Hello");
            assertThat(m.headers().getHeader("To", null)).isEqualTo("b@example.test");
        }
        assertThat(Files.list(spoolDir)).isEmpty();
    }

    @Test
    void bigMessageSpillsToAnOwnerOnlyFileDeletedWhenTheLastHolderCloses() throws Exception {
        MessageSpool spool = MessageSpool.create(spoolDir, 1024);
        MessageSpool.Writer w = spool.newWriter();
        byte[] body = "x".repeat(100).concat("\r\n").repeat(100).getBytes(StandardCharsets.US_ASCII);
        w.write(SIMPLE.getBytes(StandardCharsets.US_ASCII));
        for (byte b : body) {
            w.write(b); // byte-at-a-time path too
        }
        MessageSource m = w.finish();
        assertThat(m.isInMemory()).isFalse();
        List<Path> files = Files.list(spoolDir).toList();
        assertThat(files).hasSize(1);
        assertThat(Files.getPosixFilePermissions(files.get(0))).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(m.size()).isEqualTo(SIMPLE.length() + body.length);
        assertThat(m.toByteArray()).startsWith(SIMPLE.getBytes(StandardCharsets.US_ASCII));

        MessageSource prefixed = m.withPrefix("Received: from x\r\n".getBytes(StandardCharsets.US_ASCII));
        m.close(); // the prefixed source still holds it
        assertThat(Files.list(spoolDir)).hasSize(1);
        assertThat(prefixed.asString()).startsWith("Received: from x\r\nFrom: a@example.test");
        assertThat(prefixed.mimeMessage().getHeader("Received", null)).isEqualTo("from x");
        assertThat(prefixed.mimeMessage().getSubject()).isEqualTo("Hello");
        prefixed.close();
        assertThat(Files.list(spoolDir)).isEmpty();
        assertThatThrownBy(m::openStream).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void abortDeletesTheSpoolFile() throws Exception {
        MessageSpool spool = MessageSpool.create(spoolDir, 0);
        MessageSpool.Writer w = spool.newWriter();
        w.write(new byte[5000]);
        assertThat(Files.list(spoolDir)).hasSize(1);
        w.close();
        assertThat(Files.list(spoolDir)).isEmpty();
        assertThatThrownBy(() -> w.write(1)).hasMessageContaining("finished or aborted");
    }

    @Test
    void manyThreadsReadOneSpooledSourceAtOnce() throws Exception {
        MessageSpool spool = MessageSpool.create(spoolDir, 0);
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        MessageSource m = spool.copyOf(new java.io.ByteArrayInputStream(data));
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(ex.submit(() -> {
                    try (InputStream in = m.openStream()) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        byte[] b = new byte[777];
                        int n;
                        while ((n = in.read(b)) > 0) {
                            out.write(b, 0, n);
                        }
                        return out.toByteArray();
                    }
                }));
            }
            for (Future<byte[]> f : all) {
                assertThat(f.get()).isEqualTo(data);
            }
        } finally {
            ex.shutdown();
            m.close();
        }
    }

    @Test
    void textSourcesGetCrlf() {
        assertThat(MessageSource.ofText("Subject: x\n\nhi\n").asString()).isEqualTo("Subject: x\r\n\r\nhi\r\n");
        assertThat(MessageSource.ofText("a\r\nb").asString()).isEqualTo("a\r\nb");
    }

    /**
     * The lazily parsed MimeMessage must not load a big body: a child JVM with a 48 MiB heap parses a 96 MiB spooled
     * message, reads its subject and streams its attachment through.
     */
    @Test
    void bigMessageParsesInASmallHeap() throws Exception {
        Path eml = spoolDir.resolve("big.eml");
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(eml))) {
            out.write(("From: a@example.test\r\nSubject: Big one\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n--BOUND\r\n"
                    + "Content-Type: text/plain\r\n\r\nsee attachment\r\n--BOUND\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 96 * 1024 * 1024 / line.length; i++) {
                out.write(line);
            }
            out.write("--BOUND--\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                BigMessageProbe.class.getName(), eml.toString(), spoolDir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("subject=Big one").contains("parts=2").contains("decoded=7");
    }

    /** Run in a child JVM by {@link #bigMessageParsesInASmallHeap()}. */
    public static final class BigMessageProbe {
        public static void main(String[] args) throws Exception {
            MessageSpool spool = MessageSpool.create(Path.of(args[1]), 64 * 1024);
            try (InputStream in = Files.newInputStream(Path.of(args[0])); MessageSource m = spool.copyOf(in)) {
                MimeMessage mm = m.mimeMessage();
                Multipart mp = (Multipart) mm.getContent();
                Part att = mp.getBodyPart(1);
                long decoded = 0;
                try (InputStream data = att.getInputStream()) {
                    byte[] b = new byte[65536];
                    int n;
                    while ((n = data.read(b)) > 0) {
                        decoded += n;
                    }
                }
                System.out.println("subject=" + mm.getSubject() + " parts=" + mp.getCount() + " decoded="
                        + (decoded / 10_000_000));
            }
        }
    }

    /** Header fields in raw UTF-8 (RFC 6532, sent by SMTPUTF8 clients) are read as UTF-8 text, not Latin-1. */
    @Test
    void utf8HeaderFieldsAreText() throws Exception {
        String text = "From: \"Shöp ✓\" <shop@example.test>\r\nTo: jörg@example.test, Zoë <zoë@bücher.example>\r\n"
                + "Subject: Grüße aus Köln ✓\r\nX-Note: naïve\r\n\r\nBody\r\n";
        try (MessageSource m = MessageSource.of(text.getBytes(StandardCharsets.UTF_8))) {
            MimeMessage mime = m.mimeMessage();
            assertThat(mime.getSubject()).isEqualTo("Grüße aus Köln ✓");
            jakarta.mail.internet.InternetAddress from = (jakarta.mail.internet.InternetAddress) mime.getFrom()[0];
            assertThat(from.getPersonal()).isEqualTo("Shöp ✓");
            assertThat(from.getAddress()).isEqualTo("shop@example.test");
            assertThat(mime.getRecipients(jakarta.mail.Message.RecipientType.TO))
                    .extracting(a -> ((jakarta.mail.internet.InternetAddress) a).getAddress())
                    .containsExactly("jörg@example.test", "zoë@bücher.example");
            assertThat(mime.getHeader("X-Note", null)).isEqualTo("naïve");
            assertThat(m.headers().getHeader("Subject", null)).isEqualTo("Grüße aus Köln ✓");
        }
    }

    @Test
    void aSliceReadsPartOfASpooledSourceAndKeepsItAlive(@TempDir Path dir) throws Exception {
        MessageSpool spool = MessageSpool.create(dir, 16);
        MessageSource whole;
        try (MessageSpool.Writer w = spool.newWriter()) {
            w.write("Subject: x\r\n\r\nthe body of a spooled message\r\n".getBytes(StandardCharsets.US_ASCII));
            whole = w.finish();
        }
        MessageSource body = whole.slice(14, whole.size() - 14);
        whole.close(); // the slice still holds the spool file
        assertThat(body.asString()).isEqualTo("the body of a spooled message\r\n");
        try (MessageSource rewritten = body.withPrefix("New: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertThat(rewritten.asString()).isEqualTo("New: 1\r\n\r\nthe body of a spooled message\r\n");
        }
        try (MessageSource empty = body.slice(0, 0)) {
            assertThat(empty.size()).isZero();
        }
        assertThatThrownBy(() -> body.slice(5, body.size())).isInstanceOf(IndexOutOfBoundsException.class);
        body.close();
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("the spool file goes with the last holder").isEmpty();
        }
    }

    @Test
    void randomAccessSourceReadsOnlyWhatIsAskedForAndClosesItsResourceWithTheLastHolder() throws Exception {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        java.util.concurrent.atomic.AtomicLong lowest = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        MessageSource s = MessageSource.ofRandomAccess(data.length, (pos, b, off, len) -> {
            lowest.accumulateAndGet(pos, Math::min);
            int n = Math.min(len, 1000); // a reader may return fewer bytes than asked for
            System.arraycopy(data, (int) pos, b, off, n);
            return n;
        }, closed::incrementAndGet);
        assertThat(s.size()).isEqualTo(data.length);
        assertThat(s.isInMemory()).isFalse();
        try (InputStream in = s.openStream()) {
            assertThat(in.skip(90_000)).isEqualTo(90_000);
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 90_000, data.length));
        }
        assertThat(lowest.get()).as("skipped bytes are not read").isEqualTo(90_000);
        assertThat(s.toByteArray()).isEqualTo(data);
        MessageSource prefixed = s.withPrefix("X: y\r\n".getBytes(StandardCharsets.US_ASCII));
        s.close();
        assertThat(closed.get()).as("the prefixed source still holds it").isZero();
        assertThat(prefixed.size()).isEqualTo(data.length + 6);
        prefixed.close();
        assertThat(closed.get()).isEqualTo(1);
    }

    @Test
    void randomAccessSourceThatEndsEarlyFailsTheRead() {
        MessageSource s = MessageSource.ofRandomAccess(10, (pos, b, off, len) -> pos < 4 ? 4 - (int) pos : 0, null);
        assertThatThrownBy(s::toByteArray).hasMessageContaining("ends at 4 of 10");
        assertThatThrownBy(() -> MessageSource.ofRandomAccess(-1, (pos, b, off, len) -> 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
