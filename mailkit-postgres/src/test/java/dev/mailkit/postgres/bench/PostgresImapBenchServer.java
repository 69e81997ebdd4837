package dev.mailkit.postgres.bench;

import dev.mailkit.imap.ImapServer;
import dev.mailkit.imap.bench.BenchImap;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;

import java.nio.file.Path;

/**
 * The mailkit side of {@code bench/imap-bench.sh postgres}: loads a Maildir's messages (file-name order, flags from
 * the names, internal dates from the modification times, as the benchmark's in-memory variant does) into
 * {@link PostgresMailStore} through one node, and serves them over IMAP to rcpt@local.test / secret from another
 * node (a second {@link PostgresDatabase} handle, whose mailbox is loaded from the database, as after a restart).
 * Arguments: {@code MAILDIR PORT JDBC_URL}. Prints {@code ready PORT COUNT} and answers {@code heap} lines as
 * {@link BenchImap#serve} does; stops when stdin closes.
 */
public final class PostgresImapBenchServer {
    private PostgresImapBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path maildir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String url = args[2];
        try (PostgresDatabase loader = PostgresDatabase.builder(url).nodeName("loader").build();
             PostgresMailStore store = PostgresMailStore.builder(loader).build()) {
            BenchImap.load(store, maildir);
        }
        try (PostgresDatabase db = PostgresDatabase.builder(url).nodeName("server").build();
             PostgresMailStore store = PostgresMailStore.builder(db).build();
             ImapServer server = BenchImap.server(store, port).build().start()) {
            int count;
            try (Mailbox inbox = store.account(BenchImap.ACCOUNT).open(MailboxName.INBOX)) {
                count = inbox.status().messages();
            }
            BenchImap.serve(server, count);
        }
    }
}
