package dev.mailkit.pop3;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of POP3 sessions over a real socket (the command parser, USER/PASS, AUTH and its SASL
 * exchange, UTF8, every TRANSACTION command and the UPDATE state), one command line at a time, against a fresh
 * in-memory maildrop of three messages per input. The client models the protocol: each command gets exactly one
 * answer, {@code +OK}/{@code -ERR}, or a {@code +} continuation during AUTH, and after {@code +OK} to CAPA, RETR, TOP
 * and to LIST, UIDL and AUTH without argument (AUTH lists the mechanisms, as RFC 1734 clients expect) a multi-line
 * block that ends with a lone dot. Properties: every answer has that shape
 * and arrives (no silence), and the server closes the connection only after QUIT or an {@code -ERR} that says why.
 * When the first byte is odd the session logs in first.
 */
class Pop3SessionFuzzTest {
    @FuzzTest
    void session(byte[] input) throws Exception {
        try (Pop3Fixture fx = new Pop3Fixture()) {
            fx.deliver(Pop3Fixture.ANN, "Subject: one\r\n\r\nfirst\r\n.leading dot\r\n");
            fx.deliver(Pop3Fixture.ANN, "Subject: two\r\nFrom: a@b\r\n\r\nsecond\r\n");
            fx.deliver(Pop3Fixture.ANN, "Subject: three\r\n\r\n");
            Pop3Server server = fx.start();
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.setSoTimeout(10_000);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                assertThat(line(in)).startsWith("+OK");
                String body = new String(input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length),
                        StandardCharsets.ISO_8859_1);
                if (input.length > 0 && (input[0] & 1) != 0) {
                    body = "USER " + Pop3Fixture.ANN + "\nPASS secret\n" + body;
                }
                boolean sasl = false;
                boolean mayClose = false; // after QUIT's answer or a refusal the server may have closed
                for (String cmd : body.split("\n", -1)) {
                    if (cmd.endsWith("\r")) {
                        cmd = cmd.substring(0, cmd.length() - 1);
                    }
                    String answer;
                    try {
                        out.write((cmd + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        answer = line(in);
                    } catch (SocketException e) {
                        answer = null;
                    }
                    if (answer == null) {
                        assertThat(mayClose).as("the server closed the connection instead of answering '%s'", cmd)
                                .isTrue();
                        return;
                    }
                    if (answer.startsWith("+ ") || answer.equals("+")) {
                        sasl = true; // the next line is the client's SASL response
                        mayClose = false;
                        continue;
                    }
                    boolean wasSasl = sasl;
                    sasl = false;
                    assertThat(answer).as("answer to '%s'", cmd).matches("(\\+OK|-ERR)( .*)?");
                    String verb = cmd.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                    boolean hasArg = cmd.trim().contains(" ");
                    if (answer.startsWith("+OK") && !wasSasl && (verb.equals("CAPA") || verb.equals("RETR")
                            || verb.equals("TOP") || ((verb.equals("LIST") || verb.equals("UIDL")
                            || verb.equals("AUTH")) && !hasArg))) {
                        String l;
                        while (!".".equals(l = line(in))) {
                            assertThat(l).as("multi-line answer to '%s' ends with a dot", cmd).isNotNull();
                        }
                    }
                    mayClose = answer.startsWith("-ERR") || (verb.equals("QUIT") && !wasSasl);
                }
                s.shutdownOutput();
                assertThat(line(in)).as("nothing after the last answer").isNull();
            }
        }
    }

    /** One line without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String l = b.toString(StandardCharsets.UTF_8);
                    return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                }
                b.write(c);
            }
        } catch (SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not answer within 10 s (after " + b + ")");
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }
}
