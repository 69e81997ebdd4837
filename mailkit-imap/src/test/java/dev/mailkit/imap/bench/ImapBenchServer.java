package dev.mailkit.imap.bench;

import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.memory.MemoryMailStore;

import java.nio.file.Path;

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
        MailStore store;
        int count;
        if (kind.equals("maildir")) {
            Path data = maildir.getParent().getParent();
            if (!maildir.equals(data.resolve("local.test").resolve("rcpt"))) {
                throw new IllegalArgumentException("the Maildir must be DATA/local.test/rcpt, not " + maildir);
            }
            store = MaildirMailStore.builder(data).hostName("bench").build();
            try (Mailbox inbox = store.account(BenchImap.ACCOUNT).open(MailboxName.INBOX)) {
                count = inbox.status().messages();
            }
        } else if (kind.equals("memory")) {
            store = MemoryMailStore.create();
            count = BenchImap.load(store, maildir);
        } else {
            throw new IllegalArgumentException("the store must be maildir or memory, not " + kind);
        }
        try (store; ImapServer server = BenchImap.server(store, port).maxConnections(20_000)
                .maxConnectionsPerAddress(20_000).build().start()) {
            BenchImap.serve(server, count);
        }
    }
}
