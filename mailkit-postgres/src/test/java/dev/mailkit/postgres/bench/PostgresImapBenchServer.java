package dev.mailkit.postgres.bench;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mailkit side of {@code bench/imap-bench.sh postgres}: loads a Maildir's messages (file-name order, flags from
 * the names, internal dates from the modification times, as the benchmark's in-memory variant does) into
 * {@link PostgresMailStore} through one node, and serves them over IMAP to rcpt@local.test / secret from another
 * node (a second {@link PostgresDatabase} handle, whose mailbox is loaded from the database, as after a restart).
 * Arguments: {@code MAILDIR PORT JDBC_URL}. Prints {@code ready PORT COUNT}; stops when stdin closes.
 */
public final class PostgresImapBenchServer {
    private PostgresImapBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path maildir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String url = args[2];
        AccountId account = AccountId.parse("rcpt@local.test");
        int count;
        try (PostgresDatabase loader = PostgresDatabase.builder(url).nodeName("loader").build();
             PostgresMailStore store = PostgresMailStore.builder(loader).build()) {
            count = load(store, account, maildir);
        }
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "secret").build();
        try (PostgresDatabase db = PostgresDatabase.builder(url).nodeName("server").build();
             PostgresMailStore store = PostgresMailStore.builder(db).build();
             ImapServer server = ImapServer.builder().users(users).store(store).port(port)
                     .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            try (Mailbox inbox = store.account(account).open(MailboxName.INBOX)) {
                count = inbox.status().messages();
            }
            System.out.println("ready " + server.port() + " " + count);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            while (in.readLine() != null) {
                // until stdin closes
            }
        }
    }

    private static int load(PostgresMailStore store, AccountId account, Path maildir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> s = Files.list(maildir.resolve(sub))) {
                s.forEach(files::add);
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        try (Mailbox inbox = store.account(account).open(MailboxName.INBOX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                int info = name.indexOf(":2,");
                List<SystemFlag> flags = new ArrayList<>();
                for (char c : (info >= 0 ? name.substring(info + 3) : "").toCharArray()) {
                    switch (c) {
                        case 'S' -> flags.add(SystemFlag.SEEN);
                        case 'F' -> flags.add(SystemFlag.FLAGGED);
                        case 'R' -> flags.add(SystemFlag.ANSWERED);
                        case 'D' -> flags.add(SystemFlag.DRAFT);
                        case 'T' -> flags.add(SystemFlag.DELETED);
                        default -> { }
                    }
                }
                inbox.append(MessageSource.of(Files.readAllBytes(f)), Flags.of(flags.toArray(new SystemFlag[0])),
                        Files.getLastModifiedTime(f).toInstant());
            }
        }
        return files.size();
    }
}
