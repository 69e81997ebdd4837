package dev.mailkit.imap;

import dev.mailkit.core.MessageSource;
import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import org.junit.jupiter.api.Test;

/**
 * mailkit-imap's Dovecot differential test over {@link PostgresMailStore}: the corpus is delivered through one node
 * (one {@link PostgresDatabase} handle) and served by mailkit's IMAP server on another node's store, and every answer
 * (FETCH of flags, sizes, dates, ENVELOPE, BODYSTRUCTURE and sections, SEARCH, STORE, COPY, APPEND, EXPUNGE,
 * EXAMINE) must be the one Dovecot gives over its Maildir of the same messages. (In package {@code dev.mailkit.imap}
 * to reuse the test's package-private corpus and commands from mailkit-imap's test jar; the Maildir and memory
 * variants run in mailkit-imap.)
 */
class PostgresDovecotDifferentialTest extends DovecotDifferentialTest {
    @Override
    void theMaildirStoreOverACopyOfTheSameMaildirAnswersLikeDovecot() {
        // mailkit-imap runs this one
    }

    @Override
    void theMemoryStoreWithTheSameMessagesAnswersLikeDovecot() {
        // mailkit-imap runs this one
    }

    @Test
    void thePostgresStoreServedByAnotherNodeThanTheOneThatDeliveredAnswersLikeDovecot() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String schema = pg.newSchema();
        try (PostgresDatabase writerDb = pg.database(schema, "writer");
             PostgresDatabase readerDb = pg.database(schema, "reader");
             PostgresMailStore writer = PostgresMailStore.builder(writerDb).build();
             PostgresMailStore reader = PostgresMailStore.builder(readerDb).build()) {
            try (Mailbox inbox = writer.account(JOE).open(MailboxName.INBOX)) {
                for (int i = 0; i < CORPUS.length; i++) {
                    inbox.append(MessageSource.of(crlf(load(CORPUS[i][0]))), flags(CORPUS[i][1]), date(i));
                }
            }
            compare("postgres", dovecot, mailkit(reader, COMMANDS));
        }
    }
}
