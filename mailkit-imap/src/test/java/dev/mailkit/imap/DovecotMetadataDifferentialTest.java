package dev.mailkit.imap;

import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.store.MailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * METADATA (RFC 5464) against Dovecot 2.3 with {@code imap_metadata=yes} and a file dictionary: the same commands on
 * two empty Maildirs, the same answers (values, NIL for missing entries, DEPTH, MAXSIZE and LONGENTRIES, RENAME and
 * DELETE, case, BAD entry names). RFC 5464 gives the entries of a METADATA response no order and Dovecot's varies
 * from run to run, so each response's entries are compared sorted. Left out on purpose: Dovecot refuses to set the
 * server's {@code /shared} entries
 * (mailkit's account owns them) and answers a missing mailbox with a bare NO (mailkit adds [NONEXISTENT]).
 */
class DovecotMetadataDifferentialTest {
    static final List<String> COMMANDS = List.of(
            "SETMETADATA \"\" (/private/comment \"server note\" /private/vendor/mk/x {3+}\r\nabc)",
            "GETMETADATA \"\" (/private/comment /private/vendor/mk/x /private/none)",
            "GETMETADATA (DEPTH 1) \"\" /private/vendor/mk",
            "CREATE box", "SETMETADATA box (/private/a \"1\" /private/b \"22\" /shared/c \"333\" /private/a/b \"4\")",
            "GETMETADATA (DEPTH 1) box (/private /shared)", "GETMETADATA (MAXSIZE 1) box (/private/a /private/b /shared/c)",
            "GETMETADATA (DEPTH infinity) box /private/a", "GETMETADATA (DEPTH 1 MAXSIZE 1) box /private",
            "GETMETADATA box (/PRIVATE/A)", "RENAME box box2", "GETMETADATA box2 (/private/a /shared/c)",
            "SETMETADATA box2 (/private/a NIL)", "GETMETADATA box2 (/private/a)", "DELETE box2", "CREATE box2",
            "GETMETADATA box2 (/private/b)", "SETMETADATA INBOX (/private/comment \"\")",
            "GETMETADATA INBOX /private/comment", "GETMETADATA INBOX ()", "SETMETADATA INBOX ()",
            "GETMETADATA (DEPTH 2) INBOX /private", "GETMETADATA (MAXSIZE -1) INBOX /private",
            "SETMETADATA INBOX (/foo \"1\")", "SETMETADATA INBOX (\"/private/a*b\" \"1\")",
            "SETMETADATA INBOX (/private/c \"a\" /private/c \"b\")", "GETMETADATA INBOX /private/c",
            "GETMETADATA (MAXSIZE 0) INBOX /private/c", "GETMETADATA (DEPTH 1) INBOX (/shared)",
            "SELECT box2", "GETMETADATA INBOX /private/c");

    @TempDir
    Path dir;

    @Test
    void metadataAnswersLikeDovecot() throws Exception {
        DovecotFixture fx = DovecotFixture.builder(dir).transcript(DovecotMetadataDifferentialTest::sortEntries)
                .build();
        List<String> dovecot = fx.dovecot(COMMANDS, "imap_metadata=yes",
                "mail_attribute_dict=file:" + fx.dovecotHome().resolve("dovecot-attributes"));
        try (MailStore store = fx.maildirCopy("mailkit")) {
            DovecotFixture.compare("metadata", dovecot, fx.mailkit(store, COMMANDS));
        }
    }

    /** Each {@code * METADATA mailbox (entry value ...)} line with its entry-value pairs sorted by entry. */
    static List<String> sortEntries(List<String> transcript) {
        List<String> out = new ArrayList<>();
        for (String l : transcript) {
            int open = l.indexOf(" (");
            if (!l.startsWith("* METADATA ") || open < 0 || !l.endsWith(")")) {
                out.add(l);
                continue;
            }
            List<String> tokens = tokens(l.substring(open + 2, l.length() - 1));
            TreeMap<String, String> pairs = new TreeMap<>();
            for (int i = 0; i + 1 < tokens.size(); i += 2) {
                pairs.put(tokens.get(i), tokens.get(i + 1));
            }
            StringBuilder sb = new StringBuilder(l.substring(0, open + 2));
            pairs.forEach((k, v) -> sb.append(k).append(' ').append(v).append(' '));
            out.add(sb.toString().strip() + ")");
        }
        return out;
    }

    /** Atoms and quoted strings (with their quotes and escapes), separated by spaces. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == ' ') {
                i++;
                continue;
            }
            int start = i;
            if (s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ' ') {
                    i++;
                }
            }
            out.add(s.substring(start, Math.min(i, s.length())));
        }
        return out;
    }
}
