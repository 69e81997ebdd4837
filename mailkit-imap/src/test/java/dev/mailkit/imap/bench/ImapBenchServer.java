package dev.mailkit.imap.bench;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mailkit side of bench/imap-bench.sh and bench/imap-idle.sh: serves a Maildir's messages over IMAP to
 * rcpt@local.test / secret, from one of two stores:
 * <ul>
 *   <li>{@code maildir} (the default): {@link MaildirMailStore} over the data directory that holds the Maildir
 *       ({@code DATA/local.test/rcpt}), the files as they are on disk: mailkit indexes what it finds there (in
 *       file-name order, as Dovecot numbers them; flags from the names, internal dates from the modification
 *       times);</li>
 *   <li>{@code memory}: the same messages loaded into the in-memory store.</li>
 * </ul>
 * Arguments: {@code MAILDIR [PORT [maildir|memory]]}, MAILDIR being the account's directory
 * ({@code DATA/local.test/rcpt}). The mailbox is opened (for the Maildir store: indexed) before the server starts.
 * Prints {@code ready PORT COUNT}; a line {@code heap} on stdin makes it print the heap in use after a full
 * collection, the connection count and the number of sessions in IDLE; stops when stdin closes.
 */
public final class ImapBenchServer {
    private ImapBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path maildir = Path.of(args[0]).toAbsolutePath().normalize();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        String kind = args.length > 2 ? args[2] : "maildir";
        AccountId account = AccountId.parse("rcpt@local.test");
        MailStore store;
        int count;
        if (kind.equals("maildir")) {
            Path data = maildir.getParent().getParent();
            if (!maildir.equals(data.resolve("local.test").resolve("rcpt"))) {
                throw new IllegalArgumentException("the Maildir must be DATA/local.test/rcpt, not " + maildir);
            }
            store = MaildirMailStore.builder(data).hostName("bench").build();
            try (Mailbox inbox = store.account(account).open(MailboxName.INBOX)) {
                count = inbox.status().messages();
            }
        } else if (kind.equals("memory")) {
            store = MemoryMailStore.create();
            count = load(store, account, maildir);
        } else {
            throw new IllegalArgumentException("the store must be maildir or memory, not " + kind);
        }
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "secret").build();
        try (store; ImapServer server = ImapServer.builder().users(users).store(store).port(port)
                .maxConnections(20_000).maxConnectionsPerAddress(20_000)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            System.out.println("ready " + server.port() + " " + count);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("heap")) {
                    // the heap the server really holds: after a full collection
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    System.out.println("heap " + (rt.totalMemory() - rt.freeMemory()) + " max " + rt.maxMemory()
                            + " connections " + server.connectionCount() + " idling " + server.idlingSessions());
                    System.out.flush();
                }
            }
        }
    }

    /** Loads a Maildir's messages into a store: in file-name order, flags from the names, dates from the mtimes. */
    private static int load(MailStore store, AccountId account, Path maildir) throws Exception {
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
                if (info >= 0) {
                    for (char c : name.substring(info + 3).toCharArray()) {
                        switch (c) {
                            case 'S' -> flags.add(SystemFlag.SEEN);
                            case 'F' -> flags.add(SystemFlag.FLAGGED);
                            case 'R' -> flags.add(SystemFlag.ANSWERED);
                            case 'D' -> flags.add(SystemFlag.DRAFT);
                            case 'T' -> flags.add(SystemFlag.DELETED);
                            default -> { }
                        }
                    }
                }
                inbox.append(MessageSource.of(Files.readAllBytes(f)), Flags.of(flags.toArray(new SystemFlag[0])),
                        Files.getLastModifiedTime(f).toInstant());
            }
        }
        return files.size();
    }
}
