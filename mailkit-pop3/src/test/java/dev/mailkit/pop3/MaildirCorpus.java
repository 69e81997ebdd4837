package dev.mailkit.pop3;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Mailbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Maildir of awkward messages for the differential test against Dovecot: dot lines, no final line end, no body,
 * no blank line, long lines, 8-bit and UTF-8 bytes, a big message, CRLF and LF files, bare CR. Files are named the
 * way Maildir deliveries name them, so Dovecot sorts them in the order written.
 */
final class MaildirCorpus {
    private MaildirCorpus() {
    }

    static Map<String, byte[]> messages() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("simple", lf("From: a@example.com\nSubject: simple\nMessage-ID: <1@x>\n\nHello.\n"));
        m.put("dots", lf("Subject: dots\n\n.\n..\n...\n.x\n .\nx.\n.\n"));
        m.put("no-final-newline", lf("Subject: no final newline\n\nlast line"));
        m.put("header-only", lf("Subject: header only\nX-A: b\n"));
        m.put("no-blank-line-no-newline", lf("Subject: nothing else"));
        m.put("empty-body", lf("Subject: empty body\n\n"));
        m.put("blank-lines-body", lf("Subject: blank lines\n\n\n\n\nafter\n"));
        m.put("long-line", lf("Subject: long\n\n" + "x".repeat(5000) + "\n.short\n"));
        byte[] latin1 = "Subject: latin1\n\nGr\u00fc\u00dfe aus K\u00f6ln\n".getBytes(StandardCharsets.ISO_8859_1);
        m.put("latin1", latin1);
        m.put("utf8", lf("Subject: =?UTF-8?Q?=E6=97=A5?=\n\nGr\u00fc\u00dfe \u65e5\u672c\u8a9e\n"));
        m.put("crlf-file", "Subject: crlf\r\n\r\nline\r\n.dot\r\n".getBytes(StandardCharsets.US_ASCII));
        m.put("mixed-endings", "Subject: mixed\r\n\nline1\r\nline2\n.\r\n".getBytes(StandardCharsets.US_ASCII));
        m.put("bare-cr", lf("Subject: bare cr\n\nfirst\rsecond\n\r.\nend\r"));
        m.put("leading-dot-header", lf(".X-Odd: header\nSubject: odd\n\n.body\n"));
        StringBuilder big = new StringBuilder("Subject: big\n\n");
        for (int i = 0; big.length() < 1_500_000; i++) {
            big.append(i % 13 == 0 ? ".." : "").append("line ").append(i).append(" of a big message\n");
        }
        m.put("big", lf(big.toString()));
        return m;
    }

    private static byte[] lf(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the messages into {@code dir/new} (with cur and tmp) and returns the file names in order. */
    static List<String> write(Path dir, Map<String, byte[]> messages) throws IOException {
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
        List<String> names = new ArrayList<>();
        int i = 0;
        for (byte[] b : messages.values()) {
            String name = (1_700_000_000 + i) + ".M" + i + "P1.corpus";
            Files.write(dir.resolve("new").resolve(name), b);
            names.add(name);
            i++;
        }
        return names;
    }


    /** The CRLF form a delivery stores: bare LFs get a CR; CRLF and bare CR stay as they are. */
    static byte[] crlf(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + b.length / 20);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b[i]);
        }
        return out.toByteArray();
    }

    /** Appends the messages, in order, in their CRLF form. */
    static void load(Mailbox box, Iterable<byte[]> messages) {
        for (byte[] b : messages) {
            box.append(MessageSource.of(crlf(b)));
        }
    }
}
