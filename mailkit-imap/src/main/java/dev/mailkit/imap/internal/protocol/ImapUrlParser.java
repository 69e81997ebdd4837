package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.ImapUrl;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses an IMAP URL (RFC 5092) that names one message or section, in the forms CATENATE accepts (RFC 4469 3.1):
 * the absolute {@code imap://[user[;AUTH=x]@]host[:port]/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]},
 * the network path {@code //host/...}, the absolute path {@code /mailbox/;UID=n...} and the mailbox-relative
 * {@code ;UID=n...} (a message of the selected mailbox). Percent-encoding is decoded (mailbox names and user names as
 * UTF-8, RFC 5092 3.2); the section is parsed as a FETCH section-spec (RFC 3501 9). Syntax only: whether the server,
 * user, mailbox and message are the right ones is the caller's business. A message-list URL ({@code ?search}), a
 * relative path that starts with a name or {@code ..}, UID or PARTIAL length 0, a malformed escape, and any character
 * outside RFC 5092's {@code bchar} set are refused with a message saying what is wrong. Stateless.
 */
public final class ImapUrlParser {
    /** Longer URLs are refused outright. */
    public static final int MAX_LENGTH = 2048;

    private static final String SUB_DELIMS_SH = "!$'()*+,";

    /** The URL is not one CATENATE can use; the message says why. */
    public static final class InvalidUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidUrlException(String message) {
            super(message, null, false, false);
        }
    }

    private ImapUrlParser() {
    }

    /** Parses the URL as the client sent it. */
    public static ImapUrl parse(String url) throws InvalidUrlException {
        if (url.isEmpty()) {
            throw new InvalidUrlException("empty URL");
        }
        if (url.length() > MAX_LENGTH) {
            throw new InvalidUrlException("URL longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (!isUrlChar(c)) {
                throw new InvalidUrlException("invalid character " + describe(c) + " at position " + (i + 1));
            }
        }
        String user = null;
        String host = null;
        int port = -1;
        String path;
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("imap://") || url.startsWith("//")) {
            String rest = url.substring(lower.startsWith("imap://") ? 7 : 2);
            int slash = rest.indexOf('/');
            String server = slash < 0 ? rest : rest.substring(0, slash);
            int at = server.lastIndexOf('@');
            if (at >= 0) {
                user = userInfo(server.substring(0, at));
                server = server.substring(at + 1);
            }
            int colon = server.lastIndexOf(':');
            if (colon >= 0 && server.indexOf(']', colon) < 0) {
                port = port(server.substring(colon + 1));
                server = server.substring(0, colon);
            }
            if (server.isEmpty()) {
                throw new InvalidUrlException("URL has no host");
            }
            host = decode(server, "host");
            if (slash < 0) {
                throw new InvalidUrlException("URL names no mailbox");
            }
            path = rest.substring(slash + 1);
        } else if (lower.indexOf(':') >= 0 && lower.indexOf(':') < firstOf(lower, "/;?")) {
            throw new InvalidUrlException("not an imap: URL");
        } else if (url.startsWith("/")) {
            path = url.substring(1);
        } else if (url.startsWith(";")) {
            return messagePart(user, host, port, null, 0, url);
        } else {
            throw new InvalidUrlException("a relative URL must start with '/' (a mailbox) or ';UID=' (a message of "
                    + "the selected mailbox)");
        }
        return mailboxPath(user, host, port, path);
    }

    private static ImapUrl mailboxPath(String user, String host, int port, String path) throws InvalidUrlException {
        noBrackets(path);
        if (path.indexOf('?') >= 0) {
            throw new InvalidUrlException("a message list URL (with '?') names no single message");
        }
        int semi = path.indexOf(';');
        String rawMailbox = semi < 0 ? path : path.substring(0, semi);
        String rest = semi < 0 ? "" : path.substring(semi);
        long uidValidity = 0;
        if (startsWithIgnoreCase(rest, ";UIDVALIDITY=")) {
            int end = rest.indexOf('/');
            uidValidity = nzNumber(rest.substring(13, end < 0 ? rest.length() : end), "UIDVALIDITY");
            rest = end < 0 ? "" : rest.substring(end);
        } else if (rawMailbox.endsWith("/")) {
            rawMailbox = rawMailbox.substring(0, rawMailbox.length() - 1);
            rest = "/" + rest;
        }
        if (rawMailbox.isEmpty()) {
            throw new InvalidUrlException("URL names no mailbox");
        }
        String mailbox = decode(rawMailbox, "mailbox name");
        if (rest.isEmpty()) {
            throw new InvalidUrlException("URL names no message (;UID= is missing)");
        }
        if (!rest.startsWith("/;")) {
            throw new InvalidUrlException("unexpected " + rest + " after the mailbox");
        }
        return messagePart(user, host, port, mailbox, uidValidity, rest.substring(1));
    }

    /** {@code ;UID=n[/;SECTION=s][/;PARTIAL=o[.l]][;EXPIRE=..][;URLAUTH=..]}. */
    private static ImapUrl messagePart(String user, String host, int port, String mailbox, long uidValidity,
                                       String s) throws InvalidUrlException {
        noBrackets(s);
        boolean urlAuth = false;
        int auth = indexOfIgnoreCase(s, ";URLAUTH=");
        int expire = indexOfIgnoreCase(s, ";EXPIRE=");
        int cut = auth < 0 ? expire : expire < 0 ? auth : Math.min(auth, expire);
        if (cut >= 0) {
            urlAuth = true;
            s = s.substring(0, cut);
        }
        if (!startsWithIgnoreCase(s, ";UID=")) {
            throw new InvalidUrlException("URL names no message (;UID= is missing)");
        }
        String[] segments = s.split("/", -1);
        long uid = nzNumber(segments[0].substring(5), "UID");
        List<Integer> part = List.of();
        BodySection.Text text = BodySection.Text.NONE;
        List<String> fields = List.of();
        long offset = -1;
        long length = -1;
        int i = 1;
        if (i < segments.length && startsWithIgnoreCase(segments[i], ";SECTION=")) {
            SectionSpec spec = section(decode(segments[i].substring(9), "section"));
            part = spec.part;
            text = spec.text;
            fields = spec.fields;
            i++;
        }
        if (i < segments.length && startsWithIgnoreCase(segments[i], ";PARTIAL=")) {
            String range = segments[i].substring(9);
            int dot = range.indexOf('.');
            offset = number(dot < 0 ? range : range.substring(0, dot), "PARTIAL offset");
            length = dot < 0 ? Long.MAX_VALUE : nzNumber(range.substring(dot + 1), "PARTIAL length");
            i++;
        }
        if (i < segments.length) {
            throw new InvalidUrlException("unexpected URL segment " + segments[i]);
        }
        BodySection section = new BodySection(BodySection.Kind.BODY, true, part, text, fields, offset, length);
        return new ImapUrl(user, host, port, mailbox, uidValidity, uid, section, urlAuth);
    }

    private record SectionSpec(List<Integer> part, BodySection.Text text, List<String> fields) {
    }

    /** section-spec (RFC 3501 9), case-insensitive: {@code 1.2}, {@code 1.MIME}, {@code HEADER.FIELDS (A B)}, ... */
    private static SectionSpec section(String s) throws InvalidUrlException {
        if (s.isEmpty()) {
            throw new InvalidUrlException("empty section");
        }
        List<Integer> part = new ArrayList<>();
        int pos = 0;
        while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
            int dot = s.indexOf('.', pos);
            String n = s.substring(pos, dot < 0 ? s.length() : dot);
            long v = nzNumber(n, "section part number");
            if (v > 100_000 || part.size() == 64) {
                throw new InvalidUrlException("section " + s + " is too deep or its part number too large");
            }
            part.add((int) v);
            pos = dot < 0 ? s.length() : dot + 1;
            if (dot >= 0 && pos == s.length()) {
                throw new InvalidUrlException("section " + s + " ends with '.'");
            }
        }
        if (pos == s.length()) {
            return new SectionSpec(part, BodySection.Text.NONE, List.of());
        }
        String rest = s.substring(pos);
        String upper = rest.toUpperCase(Locale.ROOT);
        if (upper.equals("HEADER")) {
            return new SectionSpec(part, BodySection.Text.HEADER, List.of());
        }
        if (upper.equals("TEXT")) {
            return new SectionSpec(part, BodySection.Text.TEXT, List.of());
        }
        if (upper.equals("MIME")) {
            if (part.isEmpty()) {
                throw new InvalidUrlException("section MIME needs a part number, as in 1.MIME");
            }
            return new SectionSpec(part, BodySection.Text.MIME, List.of());
        }
        boolean not = upper.startsWith("HEADER.FIELDS.NOT ");
        if (!not && !upper.startsWith("HEADER.FIELDS ")) {
            throw new InvalidUrlException("unknown section " + s);
        }
        String list = rest.substring(not ? 18 : 14);
        if (list.length() < 3 || list.charAt(0) != '(' || list.charAt(list.length() - 1) != ')') {
            throw new InvalidUrlException("section " + s + " needs a parenthesised list of header field names");
        }
        List<String> fields = new ArrayList<>();
        for (String f : list.substring(1, list.length() - 1).split(" ", -1)) {
            if (f.isEmpty()) {
                throw new InvalidUrlException("empty header field name in section " + s);
            }
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c <= ' ' || c >= 127 || c == ':' || c == '(' || c == ')' || c == '"') {
                    throw new InvalidUrlException("invalid header field name " + f + " in section " + s);
                }
            }
            fields.add(f.toUpperCase(Locale.ROOT));
        }
        return new SectionSpec(part, not ? BodySection.Text.HEADER_FIELDS_NOT : BodySection.Text.HEADER_FIELDS,
                fields);
    }

    /** {@code enc-user [";AUTH=" ("*" / enc-auth-type)]} or {@code ";AUTH=" ...}: the decoded user, or null. */
    private static String userInfo(String s) throws InvalidUrlException {
        int auth = indexOfIgnoreCase(s, ";AUTH=");
        String user = auth < 0 ? s : s.substring(0, auth);
        if (auth >= 0 && auth + 6 == s.length()) {
            throw new InvalidUrlException("empty ;AUTH= mechanism");
        }
        if (user.indexOf(';') >= 0) {
            throw new InvalidUrlException("invalid user " + user);
        }
        return user.isEmpty() ? null : decode(user, "user name");
    }

    private static void noBrackets(String path) throws InvalidUrlException {
        if (path.indexOf('[') >= 0 || path.indexOf(']') >= 0) {
            throw new InvalidUrlException("'[' or ']' in the path (only an IPv6 host may have them)");
        }
    }

    private static int port(String s) throws InvalidUrlException {
        long p = s.isEmpty() ? -1 : number(s, "port");
        if (p < 1 || p > 65535) {
            throw new InvalidUrlException("invalid port " + s);
        }
        return (int) p;
    }

    private static long nzNumber(String s, String what) throws InvalidUrlException {
        long n = number(s, what);
        if (n == 0) {
            throw new InvalidUrlException(what + " cannot be zero");
        }
        return n;
    }

    private static long number(String s, String what) throws InvalidUrlException {
        if (s.isEmpty() || s.length() > 10) {
            throw new InvalidUrlException("invalid " + what + " " + s);
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidUrlException("invalid " + what + " " + s);
            }
            n = n * 10 + (c - '0');
        }
        if (n > 0xFFFFFFFFL) {
            throw new InvalidUrlException(what + " " + s + " is larger than 4294967295");
        }
        return n;
    }

    /** Percent-decodes to UTF-8 text with no control characters. */
    private static String decode(String s, String what) throws InvalidUrlException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.write(c);
                continue;
            }
            if (i + 2 >= s.length() || hex(s.charAt(i + 1)) < 0 || hex(s.charAt(i + 2)) < 0) {
                throw new InvalidUrlException("malformed %-escape in the " + what);
            }
            out.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
            i += 2;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidUrlException("the " + what + " is not UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 127) {
                throw new InvalidUrlException("control character in the " + what);
            }
        }
        return text;
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** RFC 5092 bchar plus the ';' '?' '[' ']' of its structure (brackets only for an IPv6 host). */
    private static boolean isUrlChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0
                || SUB_DELIMS_SH.indexOf(c) >= 0 || ":@&=/%;?[]".indexOf(c) >= 0;
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7F ? "'" + c + "'" : String.format("0x%02X", (int) c);
    }

    private static int firstOf(String s, String chars) {
        int best = s.length();
        for (int i = 0; i < chars.length(); i++) {
            int k = s.indexOf(chars.charAt(i));
            if (k >= 0 && k < best) {
                best = k;
            }
        }
        return best;
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    private static int indexOfIgnoreCase(String s, String needle) {
        return s.toUpperCase(Locale.ROOT).indexOf(needle);
    }
}
