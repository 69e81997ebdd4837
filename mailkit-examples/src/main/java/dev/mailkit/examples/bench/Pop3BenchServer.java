package dev.mailkit.examples.bench;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.pop3.Pop3Server;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The POP3 server as bench/pop3-bench.sh measures it: user {@code rcpt@local.test} (password {@code secret}),
 * served on the given port without TLS or login delays. Prints "ready PORT" and serves until stdin ends.
 *
 * <p>Arguments: {@code maildir DATA [port]}: the Maildir store over {@code DATA} (the user's Maildir is
 * {@code DATA/local.test/rcpt}, as Dovecot's {@code mail_location = maildir:DATA/%d/%n}); or {@code memory MAILDIR
 * [port]}: the messages of a Maildir ({@code cur/} and {@code new/}, in file-name order, in their CRLF form) loaded
 * into the in-memory store.
 */
public final class Pop3BenchServer {
    private Pop3BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        boolean memory = args[0].equals("memory");
        Path dir = Path.of(args[1]);
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        MailAddress user = MailAddress.parse("rcpt@local.test");
        try (MailStore store = memory ? MemoryMailStore.create() : MaildirMailStore.builder(dir).build()) {
            int n;
            if (memory) {
                n = load(store, user, dir);
            } else {
                try (Mailbox inbox = store.account(user).open(MailboxName.INBOX)) {
                    n = inbox.status().messages();
                }
            }
            InMemoryUserDirectory users = InMemoryUserDirectory.builder().user("rcpt@local.test", "secret").build();
            try (Pop3Server s = Pop3Server.builder().store(store).users(users).port(port)
                    .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
                System.out.println("ready " + s.port() + " " + n + " messages (" + args[0] + " store)");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // serve until stdin ends
                }
            }
        }
    }

    private static int load(MailStore store, MailAddress user, Path maildir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isRegularFile).forEach(files::add);
                }
            }
        }
        files.sort(null);
        try (Mailbox inbox = store.account(user).open(MailboxName.INBOX)) {
            for (Path f : files) {
                inbox.append(MessageSource.of(crlf(Files.readAllBytes(f))));
            }
        }
        return files.size();
    }

    private static byte[] crlf(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 20);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b[i]);
        }
        return out.toByteArray();
    }
}
