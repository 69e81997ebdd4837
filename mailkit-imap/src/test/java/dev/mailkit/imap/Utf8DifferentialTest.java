package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

/**
 * Messages with raw UTF-8 header fields (RFC 6532) to a client that has not enabled UTF8=ACCEPT: mailkit answers as
 * Dovecot does (8-bit strings as literals of the raw octets, no downgrading), over copies of one Maildir.
 */
class Utf8DifferentialTest {
    static final String[] CORPUS = {"01-utf8-header.eml", "02-ascii.eml"};

    static final List<String> COMMANDS = List.of(
            "FETCH 1:* ENVELOPE",
            "FETCH 1:* BODYSTRUCTURE",
            "FETCH 1:* BODY",
            "FETCH 1:* BODY.PEEK[HEADER.FIELDS (From To Subject)]",
            "FETCH 1 (BODY.PEEK[1] BODY.PEEK[2.MIME])",
            "SEARCH SUBJECT ascii",
            "SEARCH CHARSET UTF-8 SUBJECT {7+}\r\nGrüße",
            "SEARCH CHARSET UTF-8 BODY {7+}\r\nMünchen",
            "SEARCH CHARSET UTF-8 FROM {5+}\r\nShöp",
            "SEARCH CHARSET UTF-8 TO {6+}\r\njörg@",
            "SEARCH FROM shop",
            "CREATE Entw&APw-rfe",
            "CREATE \"Entw&APw\"",
            "LIST \"\" *",
            "STATUS Entw&APw-rfe (MESSAGES)");

    @TempDir
    static Path dir;
    static DovecotFixture fx;
    static List<String> dovecot;

    @BeforeAll
    static void dovecotAnswersOverItsCopy() throws Exception {
        DovecotFixture.Builder b = DovecotFixture.builder(dir);
        for (int i = 0; i < CORPUS.length; i++) {
            b.resource("/corpus-utf8/" + CORPUS[i], "", DovecotFixture.day(i));
        }
        fx = b.build();
        dovecot = fx.dovecot(COMMANDS);
    }

    @Test
    void utf8HeaderFieldsAreAnsweredAsDovecotAnswersThem() throws Exception {
        try (MaildirMailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("utf8", dovecot, fx.mailkit(store, COMMANDS));
        }
    }
}
