package dev.mailkit.search.bench;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.search.LuceneSearchIndex;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.maildir.MaildirMailStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/**
 * The mailkit side of bench/search-bench.sh: one {@link MaildirMailStore} over {@code DATA} (the Maildir being
 * {@code DATA/local.test/rcpt}) served to rcpt@local.test / secret by two IMAP servers in one JVM: the first reads
 * the messages for SEARCH BODY/TEXT (the default), the second asks a {@link LuceneSearchIndex} kept in
 * {@code INDEX_DIR} (empty at start, so the first search there builds the index: the cold number). The mailbox is
 * opened (the Maildir indexed) before the servers start. Arguments: {@code DATA INDEX_DIR}. Prints
 * {@code ready SCAN_PORT INDEX_PORT COUNT}; stops when stdin closes.
 */
public final class SearchBenchServer {
    private SearchBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]).toAbsolutePath().normalize();
        Path indexDir = Path.of(args[1]).toAbsolutePath().normalize();
        AccountId account = AccountId.parse("rcpt@local.test");
        InMemoryUserDirectory users = InMemoryUserDirectory.builder().passwordHashIterations(1000)
                .user("rcpt@local.test", "secret").build();
        try (MaildirMailStore store = MaildirMailStore.builder(data).hostName("bench").build();
             LuceneSearchIndex index = LuceneSearchIndex.builder().directory(indexDir).build()) {
            int count;
            try (Mailbox inbox = store.account(account).open(MailboxName.INBOX)) {
                count = inbox.status().messages();
            }
            try (ImapServer scan = server(store, users).build().start();
                 ImapServer indexed = server(store, users).searchIndex(index).build().start()) {
                System.out.println("ready " + scan.port() + " " + indexed.port() + " " + count);
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                while (in.readLine() != null) {
                    // runs until stdin closes
                }
            }
        }
    }

    private static ImapServer.Builder server(MaildirMailStore store, InMemoryUserDirectory users) {
        return ImapServer.builder().users(users).store(store).port(0)
                .authFailurePenalty(AuthFailurePenalty.none());
    }
}
