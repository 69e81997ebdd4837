package dev.mailkit.imap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of whole IMAP sessions over a real socket: the command parser and literals, every command
 * handler, and the encoder, against a fresh in-memory store per input (three messages, one of them multipart, and two
 * more mailboxes), so that each input replays the same. When the first byte is odd the session logs in first. The
 * client half-closes after the input and reads every response, literals included. Properties: no response carries
 * {@code [SERVERBUG]} (an exception escaped a handler), every response line is untagged ({@code *}), a continuation
 * request ({@code +}) or a tagged OK/NO/BAD, literals in responses are complete, and the server closes the connection
 * once the client has gone.
 */
class ImapSessionFuzzTest {
    static final byte[][] MESSAGES = {
        ("From: Alice <alice@example.com>\r\nTo: joe@example.com, \"Bob, B\" <bob@example.com>\r\nSubject: hello\r\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello Joe\r\n")
            .getBytes(StandardCharsets.US_ASCII),
        ("From: carol@example.com\r\nSubject: =?UTF-8?B?w6l0w6k=?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nbody text\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
            + "Subject: inner\r\n\r\ninner body\r\n--b\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\r\n--b--\r\n").getBytes(StandardCharsets.US_ASCII),
        "Subject: short\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)};

    @FuzzTest
    void session(byte[] input) throws Exception {
        MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
        MailAccount account = store.account(AccountId.parse("joe@example.com"));
        account.create(MailboxName.of("Work"));
        try (Mailbox inbox = account.open(MailboxName.INBOX)) {
            for (byte[] m : MESSAGES) {
                inbox.append(MessageSource.of(m), Flags.NONE, Instant.parse("2024-01-01T10:00:00Z"));
            }
        }
        boolean login = input.length > 0 && (input[0] & 1) != 0;
        byte[] wire = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        List<String> lines = new ArrayList<>();
        boolean closed;
        try (ImapServer server = ImapServerTest.plain().store(store).build().start();
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            try {
                if (login) {
                    socket.getOutputStream().write("L LOGIN joe@example.com secret\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                socket.getOutputStream().write(wire);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // closed by the server while sending (after a fatal refusal): judged by what it said
            }
            closed = read(socket.getInputStream(), lines);
        }
        assertThat(closed).as("the server closes once the client has gone; it said %s", lines).isTrue();
        assertThat(lines).isNotEmpty();
        for (String l : lines) {
            assertThat(l).as("a response").doesNotContain("[SERVERBUG]");
            assertThat(l.startsWith("* ") || l.equals("+") || l.startsWith("+ ")
                    || l.matches("[^ ]+ (OK|NO|BAD)( .*)?")).as("response line '%s'", l).isTrue();
        }
    }

    /** Reads response lines (a literal's bytes are consumed and left out) until the end of the stream. */
    static boolean read(InputStream in, List<String> lines) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) != -1) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String l = line.toString(StandardCharsets.UTF_8);
                line.reset();
                l = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
                lines.add(l);
                int open = l.lastIndexOf('{');
                if (l.endsWith("}") && open >= 0 && l.substring(open + 1, l.length() - 1).matches("[0-9]{1,9}")) {
                    long n = Long.parseLong(l.substring(open + 1, l.length() - 1));
                    for (long k = 0; k < n; k++) {
                        if (in.read() < 0) {
                            throw new AssertionError("the server closed inside a literal of " + n + " bytes: " + l);
                        }
                    }
                    // the response goes on after the literal: its rest is part of the same response
                    lines.remove(lines.size() - 1);
                    line.write(l.getBytes(StandardCharsets.UTF_8));
                }
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
