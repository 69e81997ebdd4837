package dev.mailkit.smtp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.core.sink.ReceivedMessage;
import org.junit.jupiter.api.AfterAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of a whole SMTP session over a real socket: the command lines, their arguments, DATA and
 * BDAT framing, AUTH, and the state machine between them, as SubEthaSMTP's session loop and mailkit's commands see
 * them. The fuzzer's bytes are sent to one server (shared by all inputs), the client half-closes, and every reply is
 * read until the server closes. Properties: every line the server sends is a well-formed reply ({@code [2-5]dd} then
 * space, hyphen or nothing, no control characters), the server closes the connection once the client is gone (no
 * session left hanging), and no message accepted from the input contains a bare CR or LF, or more messages than the
 * input's DATA (354) and BDAT ... LAST commands could have carried (no smuggled second message).
 */
class SmtpSessionFuzzTest {
    private static final InMemorySink SINK = new InMemorySink();
    private static SmtpServer server;

    private static synchronized SmtpServer server() {
        if (server == null) {
            server = SmtpTesting.mx(SINK).users(SmtpTesting.users()).requireTlsForLogin(false)
                    .maxMessageSize(64 * 1024).maxRecipients(20).maxLineLength(2000)
                    .maxConnectionsPerAddress(1000).idleTimeout(Duration.ofSeconds(5)).build().start();
        }
        return server;
    }

    @AfterAll
    static synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @FuzzTest
    void session(byte[] input) throws IOException {
        SmtpServer s = server();
        SINK.clear();
        List<String> lines = new ArrayList<>();
        boolean closed;
        try (Socket socket = new Socket("127.0.0.1", s.port())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(input);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // the server closed first (it may, after a bare LF or an oversized line): what it said is judged below
            }
            closed = readLines(socket.getInputStream(), lines);
        }
        assertThat(closed).as("the server closes the session once the client has gone: %s", lines).isTrue();
        assertThat(lines).as("replies").isNotEmpty();
        for (String l : lines) {
            assertThat(l).as("reply line").matches("[2-5][0-9][0-9]([ -].*)?");
            assertThat(l.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).as("control characters in %s", l).isTrue();
        }
        String sent = new String(input, StandardCharsets.ISO_8859_1).toUpperCase(java.util.Locale.ROOT);
        long dataStarts = lines.stream().filter(l -> l.startsWith("354")).count();
        int bdatLast = count(sent, "LAST");
        List<ReceivedMessage> got = SINK.messages();
        assertThat((long) got.size()).as("messages accepted").isLessThanOrEqualTo(dataStarts + bdatLast);
        for (ReceivedMessage m : got) {
            byte[] raw = m.source().toByteArray();
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == '\r') {
                    assertThat(i + 1 < raw.length && raw[i + 1] == '\n').as("bare CR at %d", i).isTrue();
                } else if (raw[i] == '\n') {
                    assertThat(i > 0 && raw[i - 1] == '\r').as("bare LF at %d", i).isTrue();
                }
            }
        }
    }

    private static int count(String s, String word) {
        int n = 0;
        for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    /** Reads reply lines to the end of the stream (true), or until a timeout (false). */
    private static boolean readLines(InputStream in, List<String> lines) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    String l = line.toString(StandardCharsets.UTF_8);
                    lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset after the server closed: it did close
        }
    }
}
