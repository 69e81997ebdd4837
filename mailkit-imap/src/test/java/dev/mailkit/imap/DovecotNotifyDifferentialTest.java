package dev.mailkit.imap;

import dev.mailkit.core.ModifiedUtf7;
import dev.mailkit.imap.testing.DovecotImap;
import dev.mailkit.store.maildir.MaildirMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    @Test
    void mailboxNameAndSubscriptionEventsAreThoseOfDovecot() throws Exception {
        DovecotImap.require();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // Dovecot runs as nobody
        Path dovecotDir = Files.createDirectories(dir.resolve("dovecot"));
        List<String> dovecot;
        Process a = DovecotImap.start(dovecotDir);
        Process b = null;
        try {
            Lines la = new Lines(a.getInputStream());
            la.next(); // PREAUTH; the second process starts after the first made the Maildir
            b = DovecotImap.start(dovecotDir);
            Lines lb = new Lines(b.getInputStream());
            lb.next();
            dovecot = conversation(la, a.getOutputStream(), lb, b.getOutputStream());
        } finally {
            a.destroy();
            if (b != null) {
                b.destroy();
            }
        }
        List<String> mailkit;
        try (MaildirMailStore store = MaildirMailStore.builder(Files.createDirectories(dir.resolve("mailkit")))
                .fsync(false).hostName("mk").build();
             ImapServer server = ImapServerTest.plain().store(store).build().start();
             Socket sa = new Socket("127.0.0.1", server.port());
             Socket sb = new Socket("127.0.0.1", server.port())) {
            Lines la = new Lines(sa.getInputStream());
            Lines lb = new Lines(sb.getInputStream());
            login(la, sa.getOutputStream());
            login(lb, sb.getOutputStream());
            mailkit = conversation(la, sa.getOutputStream(), lb, sb.getOutputStream());
        }
        DovecotDifferentialTest.compare("notify", utf7(dovecot), mailkit);
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
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\d+)}$").matcher(l);
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

    private static void login(Lines in, OutputStream out) throws Exception {
        in.next(); // the greeting
        command(in, out, "l", "LOGIN joe@example.com secret");
    }

    /** The notified session's responses to NOTIFY and to each change, normalised. */
    private static List<String> conversation(Lines a, OutputStream aOut, Lines b, OutputStream bOut)
            throws Exception {
        List<String> out = new ArrayList<>();
        out.add("### " + NOTIFY);
        out.addAll(command(a, aOut, "n", NOTIFY));
        for (int i = 0; i < CHANGES.size(); i++) {
            out.add("### " + CHANGES.get(i));
            List<String> done = command(b, bOut, "c" + i, CHANGES.get(i));
            assertThat(done.get(done.size() - 1)).startsWith("c" + i + " OK");
            out.addAll(heard(a, aOut, "w" + i));
        }
        out.add("### own CREATE Own");
        out.addAll(command(a, aOut, "o", "CREATE Own"));
        out.addAll(heard(a, aOut, "x"));
        return out;
    }

    /** Waits for the first unsolicited line, then collects everything up to a NOOP's completion. */
    private static List<String> heard(Lines a, OutputStream aOut, String tag) throws Exception {
        List<String> got = new ArrayList<>();
        String first;
        do {
            first = a.next(); // Dovecot's INBOX line may come late, after the NOOP of the step before
        } while (first.equals(INBOX_AFTER_RENAME));
        got.add(first);
        got.addAll(command(a, aOut, tag, "NOOP"));
        got.removeIf(INBOX_AFTER_RENAME::equals);
        return got;
    }

    /** Sends a command; its responses with the completion's text cut after the status (Dovecot adds timings). */
    private static List<String> command(Lines in, OutputStream out, String tag, String command) throws Exception {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<String> got = new ArrayList<>();
        while (true) {
            String l = in.next();
            if (l.startsWith(tag + " ")) {
                String[] w = l.split(" ", 3);
                got.add(w[0] + " " + w[1]);
                return got;
            }
            got.add(l);
        }
    }

    /** The lines of a stream, read on a thread of their own so that a wait can time out. */
    static final class Lines {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        Lines(InputStream in) {
            Thread t = new Thread(() -> {
                try {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    int c;
                    while ((c = in.read()) != -1) {
                        if (c == '\n') {
                            lines.add(b.toString(StandardCharsets.UTF_8).replaceAll("\r$", ""));
                            b.reset();
                        } else {
                            b.write(c);
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
                lines.add("(end of stream)");
            }, "notify-diff-reader");
            t.setDaemon(true);
            t.start();
        }

        String next() throws Exception {
            String l = lines.poll(20, TimeUnit.SECONDS);
            if (l == null) {
                throw new IOException("nothing within 20 s after " + seen);
            }
            seen.add(l);
            return l;
        }
    }
}
