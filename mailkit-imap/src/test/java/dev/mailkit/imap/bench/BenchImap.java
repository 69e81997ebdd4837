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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the mailkit sides of bench/imap-bench.sh share ({@link ImapBenchServer} and mailkit-postgres's
 * {@code PostgresImapBenchServer}): the benchmark's account, the loading of a Maildir's messages into any store, the
 * server's settings and its conversation with the script on stdin/stdout.
 */
public final class BenchImap {
    /** The account the benchmark's clients log in as (password "secret"). */
    public static final AccountId ACCOUNT = AccountId.parse("rcpt@local.test");

    private BenchImap() {
    }

    /** A plain IMAP server on the store and port that knows the account and makes no one wait after a failure. */
    public static ImapServer.Builder server(MailStore store, int port) {
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user(ACCOUNT.toString(), "secret").build();
        return ImapServer.builder().users(users).store(store).port(port)
                .authFailurePenalty(AuthFailurePenalty.none());
    }

    /**
     * Prints {@code ready PORT COUNT}, then answers each line {@code heap} on stdin with the heap in use after a full
     * collection, the connection count and the number of sessions in IDLE; returns when stdin closes.
     */
    public static void serve(ImapServer server, int count) throws IOException {
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

    /**
     * Loads a Maildir's messages ({@code cur/} and {@code new/}) into the account's INBOX: in file-name order, flags
     * from the names, internal dates from the modification times. Returns how many.
     */
    public static int load(MailStore store, Path maildir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> s = Files.list(maildir.resolve(sub))) {
                s.forEach(files::add);
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        try (Mailbox inbox = store.account(ACCOUNT).open(MailboxName.INBOX)) {
            for (Path f : files) {
                inbox.append(MessageSource.of(Files.readAllBytes(f)), flags(f.getFileName().toString()),
                        Files.getLastModifiedTime(f).toInstant());
            }
        }
        return files.size();
    }

    /** The flags of a Maildir file name ({@code ...:2,FS}). */
    private static Flags flags(String name) {
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
        return Flags.of(flags.toArray(new SystemFlag[0]));
    }
}
