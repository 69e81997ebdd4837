package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.postgres.PostgresCluster;
import dev.mailkit.postgres.PostgresDatabase;
import dev.mailkit.postgres.PostgresMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * mailkit-imap's Dovecot differential test over {@link PostgresMailStore}: the corpus is delivered through one node
 * (one {@link PostgresDatabase} handle) and served by mailkit's IMAP server on another node's store, and every answer
 * (FETCH of flags, sizes, dates, ENVELOPE, BODYSTRUCTURE and sections, SEARCH, STORE, COPY, APPEND, EXPUNGE,
 * EXAMINE) must be the one Dovecot gives over its Maildir of the same messages. (In package {@code dev.mailkit.imap}
 * to reuse the test's package-private corpus and commands from mailkit-imap's test jar; the Maildir and memory
 * variants run in mailkit-imap. The set-up is {@link DovecotFixture}'s.)
 */
class PostgresDovecotDifferentialTest {
    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        fx = DovecotDifferentialTest.corpus(dir).build();
        dovecot = fx.dovecot(DovecotDifferentialTest.COMMANDS);
    }

    @Test
    void thePostgresStoreServedByAnotherNodeThanTheOneThatDeliveredAnswersLikeDovecot() throws Exception {
        PostgresCluster pg = PostgresCluster.get();
        String schema = pg.newSchema();
        try (PostgresDatabase writerDb = pg.database(schema, "writer");
             PostgresDatabase readerDb = pg.database(schema, "reader");
             PostgresMailStore writer = PostgresMailStore.builder(writerDb).build();
             PostgresMailStore reader = PostgresMailStore.builder(readerDb).build()) {
            fx.fill(writer);
            DovecotFixture.compare("postgres", dovecot, fx.mailkit(reader, DovecotDifferentialTest.COMMANDS));
        }
    }
}
