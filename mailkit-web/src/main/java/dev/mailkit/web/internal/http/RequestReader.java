package dev.mailkit.web.internal.http;

import dev.mailkit.core.server.ProtocolInputStream;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.1 request (RFC 9112) with hard limits, refusing rather than guessing whenever a request could be
 * read two ways: obsolete line folding, white space before a header's colon, control characters, several
 * different {@code Content-Length}s, {@code Content-Length} together with {@code Transfer-Encoding}, or a transfer
 * coding other than {@code chunked} are all {@code 400}/{@code 501} and close the connection (the request
 * smuggling class). Path segments are percent-decoded one by one, so an encoded slash stays inside its segment; a
 * segment that decodes to {@code .} or {@code ..}, or holds NUL, is refused. Not thread-safe.
 */
final class RequestReader {
    static final int MAX_REQUEST_LINE = 8192;
    static final int MAX_HEADER_LINE = 8192;

    private final int maxHeaderBytes;
    private final int maxHeaders;
    private final long maxBody;

    RequestReader(int maxHeaderBytes, int maxHeaders, long maxBody) {
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxHeaders = maxHeaders;
        this.maxBody = maxBody;
    }

    /** The first line of the next request, or null at a clean end of stream (skips one empty line, RFC 9112 2.2). */
    static String readRequestLine(ProtocolInputStream in) throws IOException {
        byte[] line;
        try {
            line = in.readLineBytes(MAX_REQUEST_LINE);
            if (line != null && line.length == 0) {
                line = in.readLineBytes(MAX_REQUEST_LINE);
            }
        } catch (ProtocolInputStream.LineTooLongException e) {
            throw new HttpException(414, "request line too long", true);
        }
        return line == null ? null : new String(line, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads the headers and body that follow a request line.
     *
     * @param continueOut where {@code 100 Continue} is written when the client expects it
     */
    HttpRequest read(String requestLine, ProtocolInputStream in, OutputStream continueOut, InetSocketAddress remote,
                     boolean tls) throws IOException {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new HttpException(400, "malformed request line", true);
        }
        String method = parts[0];
        for (int i = 0; i < method.length(); i++) {
            if (!isTokenChar(method.charAt(i))) {
                throw new HttpException(400, "malformed method", true);
            }
        }
        if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
            throw new HttpException(505, "only HTTP/1.1 is spoken here", true);
        }
        String target = parts[1];
        if (target.charAt(0) != '/') {
            throw new HttpException(400, "the request target must be a path", true);
        }
        List<String[]> headers = readHeaders(in);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        int hash = path.indexOf('#');
        if (hash >= 0) {
            throw new HttpException(400, "a fragment has no place in a request", true);
        }
        List<String> segments = segments(path);
        Map<String, String> query = q < 0 ? new LinkedHashMap<>() : query(target.substring(q + 1));
        byte[] body = readBody(headers, in, continueOut);
        HttpRequest r = new HttpRequest(method, target, segments, query, headers, body, remote, tls);
        r.http10(parts[2].equals("HTTP/1.0"));
        return r;
    }

    private List<String[]> readHeaders(ProtocolInputStream in) throws IOException {
        List<String[]> headers = new ArrayList<>();
        int total = 0;
        while (true) {
            byte[] line;
            try {
                line = in.readLineBytes(MAX_HEADER_LINE);
            } catch (ProtocolInputStream.LineTooLongException e) {
                throw new HttpException(431, "header line too long", true);
            }
            if (line == null) {
                throw new EOFException("connection closed in the request header");
            }
            if (line.length == 0) {
                return headers;
            }
            total += line.length + 2;
            if (total > maxHeaderBytes || headers.size() >= maxHeaders) {
                throw new HttpException(431, "request header too large", true);
            }
            if (line[0] == ' ' || line[0] == '\t') {
                throw new HttpException(400, "obsolete line folding is not accepted", true);
            }
            int colon = -1;
            for (int i = 0; i < line.length; i++) {
                if (line[i] == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) {
                throw new HttpException(400, "malformed header line", true);
            }
            for (int i = 0; i < colon; i++) {
                if (!isTokenChar((char) (line[i] & 0xff))) {
                    throw new HttpException(400, "malformed header name", true);
                }
            }
            int start = colon + 1;
            int end = line.length;
            while (start < end && (line[start] == ' ' || line[start] == '\t')) {
                start++;
            }
            while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t')) {
                end--;
            }
            for (int i = start; i < end; i++) {
                int c = line[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    throw new HttpException(400, "control character in a header value", true);
                }
            }
            String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            headers.add(new String[]{name, new String(line, start, end - start, StandardCharsets.ISO_8859_1)});
        }
    }

    private byte[] readBody(List<String[]> headers, ProtocolInputStream in, OutputStream continueOut)
            throws IOException {
        String length = null;
        String te = null;
        boolean expectContinue = false;
        for (String[] h : headers) {
            switch (h[0]) {
                case "content-length":
                    if (length != null && !length.equals(h[1])) {
                        throw new HttpException(400, "conflicting Content-Length headers", true);
                    }
                    length = h[1];
                    break;
                case "transfer-encoding":
                    if (te != null) {
                        throw new HttpException(400, "repeated Transfer-Encoding", true);
                    }
                    te = h[1];
                    break;
                case "expect":
                    if (!h[1].equalsIgnoreCase("100-continue")) {
                        throw new HttpException(417, "only Expect: 100-continue is understood", true);
                    }
                    expectContinue = true;
                    break;
                default:
                    break;
            }
        }
        if (te != null && length != null) {
            throw new HttpException(400, "Content-Length together with Transfer-Encoding", true);
        }
        if (te != null) {
            if (!te.equalsIgnoreCase("chunked")) {
                throw new HttpException(501, "only the chunked transfer coding is accepted", true);
            }
            sendContinue(expectContinue, continueOut);
            return readChunked(in);
        }
        if (length == null) {
            return new byte[0];
        }
        long n = parseLength(length);
        if (n > maxBody) {
            throw new HttpException(413, "request body larger than " + maxBody + " octets", true);
        }
        sendContinue(expectContinue, continueOut);
        byte[] body = new byte[(int) n];
        readFully(in, body, 0, body.length);
        return body;
    }

    private static void sendContinue(boolean expect, OutputStream out) throws IOException {
        if (expect) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private byte[] readChunked(ProtocolInputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            byte[] sizeLine;
            try {
                sizeLine = in.readLineBytes(1024);
            } catch (ProtocolInputStream.LineTooLongException e) {
                throw new HttpException(400, "chunk size line too long", true);
            }
            if (sizeLine == null) {
                throw new EOFException("connection closed in a chunked body");
            }
            String s = new String(sizeLine, StandardCharsets.ISO_8859_1);
            int semi = s.indexOf(';');
            String hex = (semi < 0 ? s : s.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 8) {
                throw new HttpException(400, "malformed chunk size", true);
            }
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new HttpException(400, "malformed chunk size", true);
            }
            if (size < 0 || out.size() + size > maxBody) {
                throw new HttpException(413, "request body larger than " + maxBody + " octets", true);
            }
            if (size == 0) {
                readHeaders(in); // trailers, ignored
                return out.toByteArray();
            }
            byte[] chunk = new byte[(int) size];
            readFully(in, chunk, 0, chunk.length);
            out.write(chunk);
            byte[] crlf;
            try {
                crlf = in.readLineBytes(2);
            } catch (ProtocolInputStream.LineTooLongException e) {
                throw new HttpException(400, "chunk longer than its size", true);
            }
            if (crlf == null || crlf.length != 0) {
                throw new HttpException(400, "chunk longer than its size", true);
            }
        }
    }

    private static long parseLength(String s) {
        if (s.isEmpty() || s.length() > 15) {
            throw new HttpException(400, "malformed Content-Length", true);
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new HttpException(400, "malformed Content-Length", true);
            }
        }
        return Long.parseLong(s);
    }

    private static void readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("connection closed in the request body");
            }
            off += n;
            len -= n;
        }
    }

    /** The path's segments, percent-decoded one by one; dot segments and NUL are refused. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (i <= path.length()) {
            int slash = path.indexOf('/', i);
            int end = slash < 0 ? path.length() : slash;
            String seg = decode(path.substring(i, end), false);
            if (seg.equals(".") || seg.equals("..") || seg.indexOf('\0') >= 0) {
                throw new HttpException(400, "dot segments and NUL are not accepted in paths", true);
            }
            if (!(seg.isEmpty() && slash < 0 && !out.isEmpty())) {
                out.add(seg);
            }
            if (slash < 0) {
                break;
            }
            i = slash + 1;
        }
        if (out.size() == 1 && out.get(0).isEmpty()) {
            out.clear();
        }
        return out;
    }

    /** Parses a query string ({@code +} is a space); the first occurrence of a name wins. */
    static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** Percent-decoding as UTF-8; malformed escapes or UTF-8 are a {@code 400}. */
    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new HttpException(400, "malformed percent-encoding", true);
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new HttpException(400, "malformed percent-encoding", true);
                }
                b.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                b.write(' ');
            } else {
                b.write(c & 0xff); // the request line was read as ISO-8859-1: one char per octet
            }
        }
        byte[] bytes = b.toByteArray();
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        try {
            return d.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new HttpException(400, "percent-encoding is not UTF-8", true);
        }
    }

    /** RFC 9110 tchar. */
    static boolean isTokenChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
}
