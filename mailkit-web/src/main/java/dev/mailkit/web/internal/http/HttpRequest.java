package dev.mailkit.web.internal.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request: method, the path as decoded segments, the decoded query, headers (names in lower
 * case) and the whole body (bounded by the server's limit). Immutable apart from the route parameters the router
 * sets once.
 */
public final class HttpRequest {
    private final String method;
    private final String rawTarget;
    private final List<String> segments;
    private final Map<String, String> query;
    private final List<String[]> headers;
    private final byte[] body;
    private final InetSocketAddress remote;
    private final boolean tls;
    private Map<String, String> params = Map.of();
    private boolean http10;
    private Object attachment;

    HttpRequest(String method, String rawTarget, List<String> segments, Map<String, String> query,
                List<String[]> headers, byte[] body, InetSocketAddress remote, boolean tls) {
        this.method = method;
        this.rawTarget = rawTarget;
        this.segments = List.copyOf(segments);
        this.query = Collections.unmodifiableMap(query);
        this.headers = List.copyOf(headers);
        this.body = body;
        this.remote = remote;
        this.tls = tls;
    }

    /** A request made in code (tests and internal dispatch). */
    public static HttpRequest of(String method, List<String> segments, Map<String, String> query,
                                 List<String[]> headers, byte[] body, InetSocketAddress remote) {
        return new HttpRequest(method, "/" + String.join("/", segments), segments, query, headers, body, remote,
                false);
    }

    /** The method, upper case as sent ({@code GET}, {@code POST}, ...). */
    public String method() {
        return method;
    }

    /** The request target as sent (for logs only). */
    public String rawTarget() {
        return rawTarget;
    }

    /** The path's segments, each percent-decoded (so {@code %2F} stays inside its segment). */
    public List<String> segments() {
        return segments;
    }

    /** A query parameter (the first occurrence), or null. */
    public String query(String name) {
        return query.get(name);
    }

    /** A query parameter, or the default. */
    public String query(String name, String def) {
        String v = query.get(name);
        return v == null ? def : v;
    }

    /** The first value of a header (name in any case), or null. */
    public String header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String[] h : headers) {
            if (h[0].equals(n)) {
                return h[1];
            }
        }
        return null;
    }

    /** The body bytes (empty if none). */
    public byte[] body() {
        return body;
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The client's address. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Whether the request came over TLS. */
    public boolean isTls() {
        return tls;
    }

    /** A path parameter set by the router ({@code {id}} in a route), or null. */
    public String param(String name) {
        return params.get(name);
    }

    /** Whether the client spoke HTTP/1.0 (no keep-alive then). */
    boolean isHttp10() {
        return http10;
    }

    void http10(boolean v) {
        this.http10 = v;
    }

    void params(Map<String, String> p) {
        this.params = p;
    }

    /** Attaches what the server learned about the request (who is asking); once, before routing. */
    public void attach(Object o) {
        this.attachment = o;
    }

    /** What was attached, or null. */
    public Object attached() {
        return attachment;
    }

    /** Whether the method changes state (everything but GET and HEAD). */
    public boolean isUnsafe() {
        return !method.equals("GET") && !method.equals("HEAD");
    }

    @Override
    public String toString() {
        return method + " " + rawTarget;
    }
}
