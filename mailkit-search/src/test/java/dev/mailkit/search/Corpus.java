package dev.mailkit.search;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Generated messages with the MIME that makes text search hard: quoted-printable and base64 bodies, Latin-1, UTF-8,
 * KOI8-R and Shift_JIS charsets, HTML alternatives, attachments that must not be searched, attached messages whose
 * header values must be, RFC 2047 encoded and folded header fields, broken base64, unknown charsets, case folding
 * traps (German sharp s, Turkish dotted I, Greek final sigma, emoji), and long lines. Deterministic for a seed.
 */
final class Corpus {
    static final String[] WORDS = {"invoice", "Straße", "STRASSE", "İstanbul", "istanbul", "ΣΊΣΥΦΟΣ", "σίσυφος",
            "naïve", "café", "Привет", "мир", "東京", "こんにちは", "😀smile", "Report", "quarterly", "Q3-2026",
            "lorem", "ipsum", "dolor", "=?", "?=", "_", "%", "\\", "\"quoted\"", "a", "ab", "abc", "ÿ", "ﬁnance"};

    private final Random rnd;

    Corpus(long seed) {
        this.rnd = new Random(seed);
    }

    String words(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : rnd.nextInt(9) == 0 ? "\r\n" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return b.toString();
    }

    private String encodedWord(String s) {
        if (rnd.nextBoolean()) {
            return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
        }
        StringBuilder b = new StringBuilder("=?utf-8?q?");
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c == ' ') {
                b.append('_');
            } else if (c > 32 && c < 127 && c != '=' && c != '?' && c != '_') {
                b.append((char) c);
            } else {
                b.append('=').append(String.format("%02X", c));
            }
        }
        return b.append("?=").toString();
    }

    private static String qp(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        int col = 0;
        for (byte x : bytes) {
            int c = x & 0xff;
            String piece = c == '\r' || c == '\n' ? String.valueOf((char) c)
                    : c >= 33 && c <= 126 && c != '=' ? String.valueOf((char) c) : c == ' ' ? " "
                    : String.format("=%02X", c);
            if (c == '\n') {
                col = 0;
            } else if (col + piece.length() > 72) {
                b.append("=\r\n");
                col = 0;
            }
            b.append(piece);
            col += piece.length();
        }
        return b.toString();
    }

    private static String base64(byte[] b) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(b);
    }

    private String textPart(String subtype) {
        String[] charsets = {"utf-8", "iso-8859-1", "koi8-r", "shift_jis", "x-unknown-charset", "UTF-8"};
        String cs = charsets[rnd.nextInt(charsets.length)];
        String text = subtype.equals("html") ? "<html><body><p>" + words(20) + "</p><b>" + words(3) + "</b></body></html>"
                : words(40);
        Charset enc;
        try {
            enc = Charset.forName(cs);
        } catch (RuntimeException e) {
            enc = StandardCharsets.UTF_8;
        }
        byte[] bytes = text.getBytes(enc);
        int how = rnd.nextInt(4);
        String cte = how == 0 ? "quoted-printable" : how == 1 ? "base64" : how == 2 ? "8bit" : null;
        String body = how == 0 ? qp(bytes) : how == 1 ? base64(bytes) : new String(bytes, StandardCharsets.ISO_8859_1);
        if (how == 1 && rnd.nextInt(10) == 0) {
            body = body.substring(0, body.length() / 2) + "=broken!!" + body.substring(body.length() / 2);
        }
        return "Content-Type: text/" + subtype + (rnd.nextInt(6) == 0 ? "" : "; charset=\"" + cs + "\"") + "\r\n"
                + (cte == null ? "" : "Content-Transfer-Encoding: " + cte + "\r\n") + "\r\n" + body + "\r\n";
    }

    /** One message as bytes (ISO-8859-1 carries the 8-bit bodies byte for byte). */
    byte[] message(int i) {
        StringBuilder h = new StringBuilder();
        h.append("From: ").append(rnd.nextBoolean() ? encodedWord(words(2)) : "\"" + words(2).replace("\r\n", " ")
                .replace("\"", "") + "\"").append(" <sender").append(i % 17).append("@example.org>\r\n");
        h.append("To: rcpt@local.test\r\n");
        h.append("Subject: ").append(rnd.nextBoolean() ? encodedWord(words(4).replace("\r\n", " "))
                : words(4).replace("\r\n", "\r\n ")).append("\r\n");
        h.append("Date: Mon, 7 Dec 2026 10:00:").append(String.format("%02d", i % 60)).append(" +0000\r\n");
        h.append("Message-ID: <m").append(i).append("@example.org>\r\n");
        h.append("X-Folded: first line\r\n\tsecond ").append(WORDS[rnd.nextInt(WORDS.length)]).append("\r\n");
        h.append("MIME-Version: 1.0\r\n");
        String body;
        switch (rnd.nextInt(5)) {
            case 0 -> body = textPart("plain");
            case 1 -> body = "Content-Type: multipart/alternative; boundary=\"alt" + i + "\"\r\n\r\n--alt" + i + "\r\n"
                    + textPart("plain") + "--alt" + i + "\r\n" + textPart("html") + "--alt" + i + "--\r\n";
            case 2 -> body = "Content-Type: multipart/mixed; boundary=\"mix" + i + "\"\r\n\r\n--mix" + i + "\r\n"
                    + textPart("plain") + "--mix" + i + "\r\nContent-Type: application/octet-stream; name=\"a.bin\"\r\n"
                    + "Content-Transfer-Encoding: base64\r\n\r\n"
                    + base64(words(10).getBytes(StandardCharsets.UTF_8)) + "\r\n--mix" + i + "--\r\n";
            case 3 -> body = "Content-Type: multipart/mixed; boundary=\"out" + i + "\"\r\n\r\n--out" + i + "\r\n"
                    + textPart("plain") + "--out" + i + "\r\nContent-Type: message/rfc822\r\n\r\n"
                    + "Subject: " + encodedWord("inner " + words(3).replace("\r\n", " ")) + "\r\nFrom: inner@example.org"
                    + "\r\nMIME-Version: 1.0\r\n" + textPart("plain") + "--out" + i + "--\r\n";
            default -> body = "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                    + new String(("x".repeat(rnd.nextInt(3000)) + " " + words(30)).getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.ISO_8859_1) + "\r\n";
        }
        return (h + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Needles: pieces of the words, with their case changed, across word boundaries, and some that occur nowhere. */
    List<String> needles(int n) {
        List<String> out = new ArrayList<>(List.of("", "a", "ß", "ss", "i", "ı", "İ", "σ", "ς", "😀", "東", "=?",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "second", "first line", "sender3", "SENDER1", "inner",
                "rcpt@local", "content-type", "nowhere-at-all", "ΣΊΣ", "straße", "STRASSE", "ﬁ", "FI", "\uFFFF"));
        while (out.size() < n) {
            String w = words(2 + rnd.nextInt(2)).replace("\r\n", " ");
            int a = rnd.nextInt(Math.max(1, w.length()));
            int len = 1 + rnd.nextInt(Math.min(12, w.length() - a));
            String s = w.substring(a, a + len);
            out.add(rnd.nextBoolean() ? s.toUpperCase(java.util.Locale.ROOT) : s);
        }
        return out;
    }
}
