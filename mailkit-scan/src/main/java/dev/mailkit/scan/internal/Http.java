package dev.mailkit.scan.internal;

import dev.mailkit.core.MessageSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough HTTP/1.1 for Rspamd: one request per connection ({@code Connection: close}), the body streamed from
 * a {@link MessageSource} with its {@code Content-Length}, and an answer read within limits (status line and header
 * fields 64 KiB in all, the body at most what the caller allows, by {@code Content-Length}, chunked, or to the end of
 * the stream). Everything happens within the connection's deadline.
 */
public final class Http {
    private static final int MAX_HEAD = 64 * 1024;

    private Http() {
    }

    /** An answer: status, header fields (names in lower case, the last of repeated ones), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        /** The body as UTF-8 text. */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends a request and reads the answer.
     *
     * @param headers request header fields (name, value); a value with CR, LF or NUL is left out
     * @param body    the request body, or null for none
     */
    public static Response exchange(Conn c, String method, String host, String path, List<String[]> headers,
                                    MessageSource body, int maxBody) throws IOException {
        StringBuilder req = new StringBuilder(256);
        req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        req.append("Host: ").append(host).append("\r\n");
        req.append("Connection: close\r\n");
        for (String[] h : headers) {
            if (h[1] != null && h[1].chars().noneMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
                req.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        req.append("Content-Length: ").append(body == null ? 0 : body.size()).append("\r\n\r\n");
        c.write(req.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            stream(body, c);
        }
        return read(c, maxBody);
    }

    /** Streams a message to the connection in 64 KiB pieces. */
    static void stream(MessageSource body, Conn c) throws IOException {
        byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, body.size()))];
        try (InputStream in = body.openStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                c.write(buf, 0, n);
            }
        }
    }

    static Response read(Conn c, int maxBody) throws IOException {
        String status = c.readLine(8192);
        if (status == null) {
            throw new java.io.EOFException(c.peer() + " closed the connection without answering");
        }
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw new ScanProtocolException(c.peer() + " did not answer HTTP: '" + Texts.printable(status, 60) + "'");
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ScanProtocolException(c.peer() + " sent a bad HTTP status line: '" + Texts.printable(status, 60)
                    + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        int head = status.length();
        while (true) {
            String line = c.readLine(MAX_HEAD);
            if (line == null) {
                throw new java.io.EOFException(c.peer() + " closed the connection in the HTTP header");
            }
            head += line.length() + 2;
            if (head > MAX_HEAD) {
                throw new ScanProtocolException(c.peer() + " sent an HTTP header larger than " + MAX_HEAD + " bytes");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ScanProtocolException(c.peer() + " sent a bad HTTP header line: '"
                        + Texts.printable(line, 60) + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        byte[] body;
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(c, maxBody);
        } else if (length != null) {
            long n;
            try {
                n = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new ScanProtocolException(c.peer() + " sent a bad Content-Length");
            }
            if (n < 0 || n > maxBody) {
                throw new ScanProtocolException(c.peer() + " announced an answer of " + n + " bytes (at most "
                        + maxBody + " are read)");
            }
            body = c.readExactly((int) n);
        } else {
            body = c.readToEnd(maxBody);
        }
        return new Response(code, headers, body);
    }

    private static byte[] chunked(Conn c, int maxBody) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = c.readLine(1024);
            if (size == null) {
                throw new java.io.EOFException(c.peer() + " closed the connection inside a chunked answer");
            }
            int semi = size.indexOf(';');
            long n;
            try {
                n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ScanProtocolException(c.peer() + " sent a bad chunk size");
            }
            if (n < 0 || out.size() + n > maxBody) {
                throw new ScanProtocolException(c.peer() + " sent an answer longer than " + maxBody + " bytes");
            }
            if (n == 0) {
                while (true) { // trailer fields, up to the empty line
                    String t = c.readLine(8192);
                    if (t == null || t.isEmpty()) {
                        return out.toByteArray();
                    }
                }
            }
            out.write(c.readExactly((int) n));
            c.readLine(16);
        }
    }
}
