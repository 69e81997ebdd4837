package dev.mailkit.acme.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The HTTP-01 responder (RFC 8555 8.3): {@code GET /.well-known/acme-challenge/TOKEN} answers the token's key
 * authorization while its validation is pending; every other request gets 404 (405 for a method other than GET and
 * HEAD), with a fixed body that repeats nothing of the request. The JDK's HTTP server parses the requests; two
 * daemon threads answer them.
 */
public final class Http01Responder implements ChallengeResponder {
    static final String PREFIX = "/.well-known/acme-challenge/";
    /** RFC 8555 8.1: a token is base64url without padding. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,512}");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Challenges challenges;

    private Http01Responder(HttpServer server, ExecutorService executor, Challenges challenges) {
        this.server = server;
        this.executor = executor;
        this.challenges = challenges;
    }

    /** Binds the address now and answers from {@code challenges}. */
    public static Http01Responder start(InetSocketAddress address, Challenges challenges) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mailkit-acme-http01-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Http01Responder responder = new Http01Responder(server, executor, challenges);
        server.createContext("/", responder::handle);
        server.setExecutor(executor);
        server.start();
        return responder;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", false);
                return;
            }
            Optional<String> answer = answer(exchange.getRequestURI().getRawPath());
            if (answer.isEmpty()) {
                reply(exchange, 404, "not found\n", head);
            } else {
                reply(exchange, 200, answer.get(), head);
            }
        } finally {
            exchange.close();
        }
    }

    private Optional<String> answer(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String token = path.substring(PREFIX.length());
        return TOKEN.matcher(token).matches() ? challenges.http(token) : Optional.empty();
    }

    private static void reply(HttpExchange exchange, int status, String body, boolean head) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
