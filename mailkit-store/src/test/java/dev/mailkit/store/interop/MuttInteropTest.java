package dev.mailkit.store.interop;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.mbox.MboxExporter;
import dev.mailkit.store.memory.MemoryMailStore;
import dev.mailkit.testsupport.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mutt reads an mbox that mailkit exported. mutt is interactive, so it runs on a pseudo-terminal (a few lines of
 * Python, {@code ptyrun.py}) with keystrokes pushed from its command line: tag every message, copy the tagged ones into a Maildir, quit. mailkit
 * then reads that Maildir: the same number of messages, each with its subject, body and flags, proves that mutt
 * found exactly the boundaries and the status headers mailkit wrote.
 */
class MuttInteropTest {
    @TempDir
    Path tmp;

    /** Subject to (body, flags). */
    static Map<String, Object[]> messages() {
        Map<String, Object[]> m = new HashMap<>();
        m.put("from lines", new Object[] {"From the start of a line\r\n\r\nFrom after a blank line\r\nFrom: lookalike\r\n",
                Flags.of(SystemFlag.SEEN)});
        m.put("quoted", new Object[] {">From already quoted\r\n>>From twice\r\n", Flags.of(SystemFlag.FLAGGED)});
        m.put("answered", new Object[] {"replied to\r\n", Flags.of(SystemFlag.ANSWERED, SystemFlag.SEEN)});
        m.put("plain", new Object[] {"just text\r\n", Flags.NONE});
        m.put("utf8", new Object[] {"Grüße, 日本\r\n", Flags.NONE});
        m.put("trailing blank lines", new Object[] {"body\r\n\r\n\r\n", Flags.NONE});
        return m;
    }

    /** mutt keeps mboxo quoting: it does not remove the {@code >} that mboxrd adds before From lines. */
    static String asMuttReadsIt(String body) {
        return body.replaceAll("(?m)^(>*From )", ">$1");
    }

    @Test
    void muttReadsAnMboxThatMailkitExported() throws Exception {
        Path mutt = ExternalTool.require("mutt");
        Map<String, Object[]> msgs = messages();
        Path mbox = tmp.resolve("export.mbox");
        try (MemoryMailStore store = MemoryMailStore.create();
             Mailbox box = store.account(MailAddress.parse("ann@example.com")).open(MailboxName.INBOX)) {
            int i = 0;
            for (Map.Entry<String, Object[]> e : msgs.entrySet()) {
                String text = "From: Ann <ann@example.com>\r\nSubject: " + e.getKey()
                        + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + e.getValue()[0];
                box.append(MessageSource.of(text.getBytes(StandardCharsets.UTF_8)), (Flags) e.getValue()[1],
                        Instant.parse("2026-03-04T05:06:07Z").plusSeconds(i++));
            }
            try (OutputStream o = Files.newOutputStream(mbox)) {
                assertThat(MboxExporter.create().export(box, o)).isEqualTo(msgs.size());
            }
        }
        Path out = tmp.resolve("data/example.com/mutt");
        Files.createDirectories(out.getParent());
        Path driver = tmp.resolve("ptyrun.py");
        try (var in = MuttInteropTest.class.getResourceAsStream("/ptyrun.py")) {
            Files.copy(in, driver);
        }
        ExternalTool.Result r = ExternalTool.run(List.of(ExternalTool.python().toString(), driver.toString(),
                mutt.toString(), "-n", "-F", "/dev/null", "-f", mbox.toString(),
                // an existing $folder: otherwise mutt first asks whether to create ~/Mail, and eats the keystrokes
                "-e", "set folder=" + tmp + " mbox_type=Maildir confirmcreate=no confirmappend=no wait_key=no "
                        + "quit=yes delete=no",
                "-e", "push <tag-pattern>~A<enter><tag-prefix><copy-message>" + out + "<enter><quit>"), null,
                Duration.ofSeconds(90), Map.of("TERM", "xterm", "HOME", tmp.toString()), tmp);
        assertThat(r.exitCode).as(r.toString()).isZero();

        try (MaildirMailStore store = MaildirMailStore.builder(tmp.resolve("data")).build();
             Mailbox copied = store.account(MailAddress.parse("mutt@example.com")).open(MailboxName.INBOX);
             MailboxView v = copied.openView(ViewMode.READ_ONLY)) {
            String listing;
            try (var files = Files.walk(out)) {
                listing = files.map(Path::toString).collect(java.util.stream.Collectors.joining("\n"));
            }
            assertThat(v.messageCount()).as("messages mutt found in the mbox; files:%n%s", listing)
                    .isEqualTo(msgs.size());
            for (int seq = 1; seq <= v.messageCount(); seq++) {
                long uid = v.uid(seq);
                String subject = copied.structure(uid).orElseThrow().envelope().subject();
                assertThat(msgs).containsKey(subject);
                Object[] expected = msgs.remove(subject);
                MessageInfo info = copied.message(uid).orElseThrow();
                assertThat(info.flags()).as("flags of %s", subject).isEqualTo(expected[1]);
                try (MessageSource c = copied.content(uid).orElseThrow()) {
                    String text = new String(c.toByteArray(), StandardCharsets.UTF_8);
                    String body = text.substring(text.indexOf("\r\n\r\n") + 4);
                    assertThat(body).as("body of %s", subject).isEqualTo(asMuttReadsIt((String) expected[0]));
                }
            }
            assertThat(msgs).as("messages mutt lost").isEmpty();
        }
    }
}
