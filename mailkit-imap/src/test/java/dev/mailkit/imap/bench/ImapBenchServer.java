package dev.mailkit.imap.bench;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The mailkit side of bench/imap-bench.sh: loads a Maildir's messages (in file-name order, as Dovecot numbers them;
 * flags from the file names, internal dates from the modification times) into the in-memory store and serves them
 * over IMAP to rcpt@local.test / secret. Prints {@code ready PORT}; a line {@code heap} on stdin makes it print the
 * heap in use after a full collection, the connection count and the number of sessions in IDLE; stops when stdin
 * closes.
 */
public final class ImapBenchServer {
    private ImapBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path maildir = Path.of(args[0]);
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        MemoryMailStore store = MemoryMailStore.create();
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> s = Files.list(maildir.resolve(sub))) {
                s.forEach(files::add);
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        try (Mailbox inbox = store.account(AccountId.parse("rcpt@local.test")).open(MailboxName.INBOX)) {
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
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "secret").build();
        try (ImapServer server = ImapServer.builder().users(users).store(store).port(port)
                .maxConnections(20_000).maxConnectionsPerAddress(20_000)
                .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            System.out.println("ready " + server.port() + " " + files.size());
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
}
