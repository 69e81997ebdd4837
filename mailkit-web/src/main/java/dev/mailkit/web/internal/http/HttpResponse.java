package dev.mailkit.web.internal.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A response: status, headers and a body written by the connection. Header values are checked as they are added:
 * a CR, LF or other control character in a value (for example from a hostile attachment name that escaped its
 * sanitising) is refused with {@link IllegalArgumentException} rather than written, so nothing from a message can
 * split a response or add a header. Not thread-safe; built and written by one thread.
 */
public final class HttpResponse {
    /** How a body is written. */
    public interface Body {
        /** The length in octets, or -1 to send it chunked. */
        long length();

        /** Writes the body. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A server-sent event stream: runs until the client goes away or the stream ends. */
    public interface EventStream {
        /** Writes events to {@code out} (flushing each) until done; exceptions end the stream. */
        void run(OutputStream out) throws IOException;
    }

    private final int status;
    private final List<String[]> headers = new ArrayList<>(8);
    private Body body;
    private EventStream events;

    private HttpResponse(int status) {
        this.status = status;
    }

    /** A response with a status and no body yet. */
    public static HttpResponse status(int status) {
        HttpResponse r = new HttpResponse(status);
        r.body = bytesBody(new byte[0]);
        return r;
    }

    /** A response with a body of bytes. */
    public static HttpResponse bytes(int status, String contentType, byte[] bytes) {
        HttpResponse r = new HttpResponse(status);
        r.header("Content-Type", contentType);
        r.body = bytesBody(bytes);
        return r;
    }

    /** A plain-text response (UTF-8). */
    public static HttpResponse text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON response. */
    public static HttpResponse json(int status, String json) {
        return bytes(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON response with status 200. */
    public static HttpResponse json(String json) {
        return json(200, json);
    }

    /** Mailpit's plain {@code ok}. */
    public static HttpResponse ok() {
        return text(200, "ok");
    }

    /** A streamed body. */
    public static HttpResponse stream(int status, String contentType, Body body) {
        HttpResponse r = new HttpResponse(status);
        r.header("Content-Type", contentType);
        r.body = body;
        return r;
    }

    /** A {@code text/event-stream} response; the connection is closed when the stream ends. */
    public static HttpResponse events(EventStream stream) {
        HttpResponse r = new HttpResponse(200);
        r.header("Content-Type", "text/event-stream; charset=utf-8");
        r.header("Cache-Control", "no-store");
        r.events = stream;
        return r;
    }

    /** A redirect to a path on this server. */
    public static HttpResponse redirect(String path) {
        if (!path.startsWith("/") || path.startsWith("//")) {
            throw new IllegalArgumentException("redirects stay on this server: " + path);
        }
        return status(303).header("Location", path);
    }

    /**
     * Adds a header.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds a control character
     */
    public HttpResponse header(String name, String value) {
        checkName(name);
        checkValue(name, value);
        headers.add(new String[]{name, value});
        return this;
    }

    /** Whether a header of that name (any case) was set. */
    public boolean hasHeader(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The first value of a header (any case), or null. */
    public String headerValue(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** The status. */
    public int status() {
        return status;
    }

    List<String[]> headers() {
        return headers;
    }

    Body body() {
        return body;
    }

    EventStream eventStream() {
        return events;
    }

    private static Body bytesBody(byte[] b) {
        return new Body() {
            @Override
            public long length() {
                return b.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(b);
            }
        };
    }

    static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!RequestReader.isTokenChar(name.charAt(i))) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
    }

    static void checkValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("header " + name + " would contain the character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + ": refused (response splitting)");
            }
        }
    }

    /** The reason phrase of a status (for the status line). */
    static String reason(int status) {
        switch (status) {
            case 100: return "Continue";
            case 200: return "OK";
            case 204: return "No Content";
            case 303: return "See Other";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 408: return "Request Timeout";
            case 411: return "Length Required";
            case 413: return "Content Too Large";
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 417: return "Expectation Failed";
            case 421: return "Misdirected Request";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "Status";
        }
    }
}
