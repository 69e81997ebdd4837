package dev.mailkit.web.internal.http;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a method and a path to a handler. Patterns are segments: literals, {@code {name}} (one segment, available as
 * {@link HttpRequest#param}), and a literal with a {@code {name}} suffix pattern such as {@code {id}.html}. A path
 * that matches no pattern is {@code 404}; one that matches with another method is {@code 405}. Immutable once
 * built; thread-safe.
 */
public final class Router {
    /** Handles one request. */
    @FunctionalInterface
    public interface Handler {
        HttpResponse handle(HttpRequest request) throws IOException;
    }

    private static final class Route {
        final String method;
        final String[] pattern;
        final Handler handler;

        Route(String method, String[] pattern, Handler handler) {
            this.method = method;
            this.pattern = pattern;
            this.handler = handler;
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route, e.g. {@code add("GET", "/api/v1/message/{id}/part/{part}", handler)}. */
    public Router add(String method, String pattern, Handler handler) {
        String p = pattern.startsWith("/") ? pattern.substring(1) : pattern;
        routes.add(new Route(method, p.isEmpty() ? new String[0] : p.split("/", -1), handler));
        return this;
    }

    /** Dispatches a request. HEAD is answered by the GET route. */
    public HttpResponse dispatch(HttpRequest request) throws IOException {
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        boolean pathMatched = false;
        for (Route r : routes) {
            Map<String, String> params = match(r.pattern, request.segments());
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (r.method.equals(method)) {
                request.params(params);
                return r.handler.handle(request);
            }
        }
        if (pathMatched) {
            throw new HttpException(405, "method not allowed here");
        }
        throw new HttpException(404, "not found");
    }

    private static Map<String, String> match(String[] pattern, List<String> segments) {
        if (pattern.length != segments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            String s = segments.get(i);
            if (p.startsWith("{")) {
                int close = p.indexOf('}');
                String name = p.substring(1, close);
                String suffix = p.substring(close + 1);
                if (!s.endsWith(suffix) || s.length() == suffix.length()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>();
                }
                params.put(name, s.substring(0, s.length() - suffix.length()));
            } else if (!p.equals(s)) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
