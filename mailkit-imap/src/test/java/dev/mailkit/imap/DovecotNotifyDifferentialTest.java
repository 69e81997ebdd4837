package dev.mailkit.imap;

import dev.mailkit.core.ModifiedUtf7;
import dev.mailkit.imap.testing.DifferentialSession;
import dev.mailkit.imap.testing.DovecotFixture;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.imap.testing.ImapConversation;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NOTIFY's MailboxName and SubscriptionChange events (RFC 5465 5.4, 5.5) against Dovecot 2.3: two sessions on one
 * Maildir (two Dovecot {@code imap} processes; two connections to one mailkit server over a copy of the same
 * Maildir), one with {@code NOTIFY SET (personal (MailboxName SubscriptionChange))}, the other creating, renaming,
 * subscribing, unsubscribing and deleting mailboxes (a modified UTF-7 name among them); then the notified session's
 * own CREATE. After each change the notified session's untagged responses are collected (until the first arrives,
 * then up to a NOOP's completion) and compared line by line. Left out: Dovecot's {@code * LIST () "." INBOX} after a
 * rename (its mailbox list index touching INBOX, not a change of INBOX), and names with missing parents (Dovecot's
 * Maildir++ layout reports the parent as created; mailkit's parents are placeholders, as LIST shows them).
 */
class DovecotNotifyDifferentialTest {
    static final List<String> CHANGES = List.of("CREATE Foo", "RENAME Foo Bar", "SUBSCRIBE Bar", "UNSUBSCRIBE Bar",
            "CREATE Baz", "DELETE Bar", "SUBSCRIBE Baz", "CREATE &AOk-t&AOk-", "RENAME &AOk-t&AOk- Summer",
            "DELETE Summer", "UNSUBSCRIBE Baz", "DELETE Baz");
    static final String NOTIFY = "NOTIFY SET (personal (MailboxName SubscriptionChange))";
    /** What Dovecot writes after a rename besides the rename's own line (see the class description). */
    static final String INBOX_AFTER_RENAME = "* LIST () \".\" INBOX";

    @TempDir
    Path dir;

    /** Dovecot's side reads a pipe without a timeout: a missing event fails the test here instead of hanging it. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mailboxNameAndSubscriptionEventsAreThoseOfDovecot() throws Exception {
        DovecotImap.require();
        DovecotFixture fx = DovecotFixture.builder(dir).build();
        List<String> dovecot;
        try (DifferentialSession a = fx.openDovecot(); DifferentialSession b = fx.openDovecot()) {
            dovecot = conversation(a.conversation(), b.conversation());
        }
        List<String> mailkit;
        try (MaildirMailStore store = fx.maildirCopy("mailkit");
             ImapServer server = DovecotFixture.server(store).build().start();
             DifferentialSession a = DovecotFixture.openMailkit(server);
             DifferentialSession b = DovecotFixture.openMailkit(server)) {
            mailkit = conversation(a.conversation(), b.conversation());
        }
        DovecotFixture.compare("notify", utf7(dovecot), mailkit);
    }

    /**
     * Dovecot 2.3.19 writes a non-ASCII name in these LIST responses as a UTF-8 literal although UTF8=ACCEPT is not
     * enabled (its LIST command writes modified UTF-7, as RFC 3501 5.1.3 requires): such a literal is turned into
     * the modified UTF-7 that mailkit writes, and only for names that came as literals, so nothing else is hidden.
     */
    static List<String> utf7(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            Matcher m = Pattern.compile("\\{(\\d+)}$").matcher(l);
            if (m.find() && i + 1 < lines.size()) {
                byte[] next = lines.get(++i).getBytes(StandardCharsets.UTF_8);
                int n = Integer.parseInt(m.group(1));
                String name = new String(next, 0, n, StandardCharsets.UTF_8);
                String rest = new String(next, n, next.length - n, StandardCharsets.UTF_8);
                l = l.substring(0, m.start()) + ModifiedUtf7.encode(name) + rest;
            }
            out.add(l);
        }
        return out;
    }

    /** The notified session's responses to NOTIFY and to each change. */
    private static List<String> conversation(ImapConversation a, ImapConversation b) throws Exception {
        List<String> out = new ArrayList<>();
        out.add("### " + NOTIFY);
        out.addAll(lines(a.command("n", NOTIFY)));
        for (int i = 0; i < CHANGES.size(); i++) {
            out.add("### " + CHANGES.get(i));
            List<String> done = lines(b.command("c" + i, CHANGES.get(i)));
            assertThat(done.get(done.size() - 1)).startsWith("c" + i + " OK");
            out.addAll(heard(a, "w" + i));
        }
        out.add("### own CREATE Own");
        out.addAll(lines(a.command("o", "CREATE Own")));
        out.addAll(heard(a, "x"));
        return out;
    }

    /** Waits for the first unsolicited response, then collects everything up to a NOOP's completion. */
    private static List<String> heard(ImapConversation a, String tag) throws Exception {
        List<String> first;
        do {
            first = lines(a.response()); // Dovecot's INBOX line may come late, after the NOOP of the step before
        } while (first.equals(List.of(INBOX_AFTER_RENAME)));
        List<String> got = new ArrayList<>(first);
        got.addAll(lines(a.command(tag, "NOOP")));
        got.removeIf(INBOX_AFTER_RENAME::equals);
        return got;
    }

    /** The lines of raw responses; a completion cut after its status (Dovecot adds timings to the text). */
    private static List<String> lines(byte[] raw) {
        List<String> out = new ArrayList<>();
        for (String l : new String(raw, StandardCharsets.UTF_8).split("\r\n")) {
            String[] w = l.split(" ", 3);
            out.add(w.length == 3 && !w[0].equals("*") && (w[1].equals("OK") || w[1].equals("NO") || w[1].equals("BAD"))
                    ? w[0] + " " + w[1] : l);
        }
        return out;
    }
}
