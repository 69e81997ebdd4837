package dev.mailkit.web.internal.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Makes what a message says about its parts safe to put into response headers: a file name can choose neither a
 * path ({@code ../}, {@code /}, {@code \}, drive letters and leading dots are cut away) nor a header (CR, LF, quotes,
 * semicolons and every other control or special character are replaced), and a media type is either a clean
 * {@code type/subtype} or {@code application/octet-stream}. Stateless.
 */
final class SafeNames {
    private SafeNames() {
    }

    /** A file name with no path, no control characters and no quotes, at most 100 characters; never empty. */
    static String fileName(String raw, String fallback) {
        String s = raw == null ? "" : raw;
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (cut >= 0) {
            s = s.substring(cut + 1);
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || cp == '"' || cp == ';' || cp == ':' || cp == '*' || cp == '?'
                    || cp == '<' || cp == '>' || cp == '|' || cp == '%' || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                sb.append('_');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String out = sb.toString().strip();
        while (out.startsWith(".") || out.startsWith("_.")) {
            out = out.substring(1);
        }
        if (out.length() > 100) {
            int dot = out.lastIndexOf('.');
            String ext = dot > 0 && out.length() - dot <= 10 ? out.substring(dot) : "";
            out = out.substring(0, 100 - ext.length()) + ext;
        }
        return out.isBlank() ? fallback : out;
    }

    /** The ASCII form of a safe file name, for {@code filename="..."} (others become {@code _}). */
    static String ascii(String safe) {
        StringBuilder sb = new StringBuilder(safe.length());
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return sb.toString();
    }

    /** {@code attachment; filename="..."; filename*=UTF-8''...} (RFC 6266) for a raw name. */
    static String contentDisposition(String rawName, String fallback) {
        String safe = fileName(rawName, fallback);
        return "attachment; filename=\"" + ascii(safe) + "\"; filename*=UTF-8''" + percent(safe);
    }

    private static String percent(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** A {@code type/subtype} made of token characters, lower case, or {@code application/octet-stream}. */
    static String mediaType(String type) {
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT).trim();
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1 || t.length() > 100) {
            return "application/octet-stream";
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (i != slash && !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "!#$&-^_.+".indexOf(c) >= 0)) {
                return "application/octet-stream";
            }
        }
        return t;
    }

    /** A charset name safe for a header, or null. */
    static String charset(String cs) {
        if (cs == null || cs.isEmpty() || cs.length() > 40) {
            return null;
        }
        for (int i = 0; i < cs.length(); i++) {
            char c = cs.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 0x80) && "-_.:".indexOf(c) < 0) {
                return null;
            }
        }
        return cs;
    }
}
