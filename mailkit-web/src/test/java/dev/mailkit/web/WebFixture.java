package dev.mailkit.web;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.delivery.DeliveryAgent;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * A web server over a memory store that real SMTP delivers into: either with logins (ann and bob of
 * example.test, through mailkit's delivery agent) or open (every message captured once into
 * inbox@example.test, as mailkit-test does). The trace records both.
 */
final class WebFixture implements AutoCloseable {
    static final String CAPTURE = "inbox@example.test";

    final MemoryMailStore store = MemoryMailStore.builder().standardMailboxes().build();
    final InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1)
            .user("ann@example.test", "ann-secret").user("bob@example.test", "bob-secret").build();
    final TraceRecorder trace = TraceRecorder.create();
    final SmtpServer smtp;
    final WebServer web;
    final Http http;

    private WebFixture(boolean open, Consumer<WebServer.Builder> configure) {
        MessageSink sink;
        if (open) {
            sink = new MessageSink() {
                @Override
                public DeliveryReport deliver(Envelope e, MessageSource m) {
                    try (Mailbox inbox = store.account(AccountId.parse(CAPTURE)).open(MailboxName.INBOX)) {
                        inbox.append(m, Flags.NONE, e.receivedAt());
                    }
                    return DeliveryReport.allDelivered(e.transactionId());
                }
            };
        } else {
            sink = DeliveryAgent.builder().store(store).users(users).build();
        }
        SmtpServer.Builder sb = SmtpServer.builder().users(users).requireTlsForLogin(false).optionalAuth()
                .authFailurePenalty(AuthFailurePenalty.none()).transcripts(true)
                .filters(trace).sink(trace.sink(sink));
        if (open) {
            sb.acceptAllDomains();
        } else {
            sb.localDomains("example.test");
        }
        this.smtp = sb.build().start();
        WebServer.Builder wb = WebServer.builder().store(store).trace(trace)
                .authFailurePenalty(AuthFailurePenalty.none())
                .submission(MailSender.smtp("127.0.0.1", smtp.port()));
        if (open) {
            wb.openAccess(CAPTURE);
        } else {
            wb.users(users);
        }
        configure.accept(wb);
        this.web = wb.build().start();
        this.http = new Http(web.url());
    }

    static WebFixture open() {
        return new WebFixture(true, b -> { });
    }

    static WebFixture open(Consumer<WebServer.Builder> configure) {
        return new WebFixture(true, configure);
    }

    static WebFixture withLogins() {
        return new WebFixture(false, b -> { });
    }

    static WebFixture withLogins(Consumer<WebServer.Builder> configure) {
        return new WebFixture(false, configure);
    }

    /** Sends a message over SMTP (a raw client: exactly these bytes, dot-stuffed); returns the 250 reply. */
    String send(String from, List<String> rcpts, String message) {
        return Smtp.send(smtp.port(), from, rcpts, message);
    }

    /** A simple message. */
    static String message(String from, String to, String subject, String body) {
        return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + Math.abs(subject.hashCode()) + "." + System.nanoTime() + "@example.test>"
                + "\r\nDate: Mon, 6 May 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; "
                + "charset=utf-8\r\n\r\n" + body + "\r\n";
    }

    @Override
    public void close() {
        web.close();
        smtp.close();
        store.close();
    }

    /** A tiny SMTP client over a raw socket. */
    static final class Smtp {
        private Smtp() {
        }

        static String send(int port, String from, List<String> rcpts, String message) {
            return sendAuthenticated(port, null, null, from, rcpts, message);
        }

        /** Like {@link #send}, after AUTH PLAIN when {@code user} is given. */
        static String sendAuthenticated(int port, String user, String password, String from, List<String> rcpts,
                                        String message) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream();
                expect(in, "220");
                cmd(out, in, "EHLO client.example.test", "250");
                if (user != null) {
                    cmd(out, in, "AUTH PLAIN " + java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0"
                            + password).getBytes(StandardCharsets.UTF_8)), "235");
                }
                cmd(out, in, "MAIL FROM:<" + from + ">", "250");
                for (String r : rcpts) {
                    cmd(out, in, "RCPT TO:<" + r + ">", "250");
                }
                cmd(out, in, "DATA", "354");
                StringBuilder sb = new StringBuilder();
                for (String line : message.split("\r\n", -1)) {
                    sb.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
                }
                if (message.endsWith("\r\n")) {
                    sb.setLength(sb.length() - 2);
                }
                out.write(sb.append(".\r\n").toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                String reply = expect(in, "250");
                cmd(out, in, "QUIT", "221");
                return reply;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void cmd(OutputStream out, BufferedReader in, String line, String code) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            expect(in, code);
        }

        private static String expect(BufferedReader in, String code) throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed, expected " + code);
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            if (!line.startsWith(code)) {
                throw new AssertionError("expected " + code + " but the server said " + line);
            }
            return line;
        }
    }
}
