package dev.mailkit.web.internal.api;

import dev.mailkit.store.AccountId;
import dev.mailkit.web.internal.http.HttpResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events (the {@code text/event-stream} of {@code /api/events}): each subscriber has a bounded queue per
 * connection; publishing never blocks (a subscriber that falls 1000 events behind is dropped, and its browser's
 * {@code EventSource} reconnects and reloads). Events are Mailpit's WebSocket messages, {@code {"Type":...,
 * "Data":...}}, one per {@code data:} line; a comment every 15 s keeps proxies from closing the stream. Thread-safe.
 */
final class EventHub {
    private static final String END = new String("end"); // identity marks the end of a stream

    private final Map<AccountId, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private static final class Subscriber {
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(1000);
        volatile boolean dropped;
    }

    /** Sends an event (JSON) to everyone watching the account. */
    void publish(AccountId account, String json) {
        Set<Subscriber> set = subscribers.get(account);
        if (set == null) {
            return;
        }
        for (Subscriber s : set) {
            if (!s.queue.offer(json)) {
                s.dropped = true;
            }
        }
    }

    /** Whether anyone watches the account. */
    boolean watched(AccountId account) {
        Set<Subscriber> set = subscribers.get(account);
        return set != null && !set.isEmpty();
    }

    /** A response that streams the accounts' events until the client leaves or the server closes. */
    HttpResponse stream(List<AccountId> accounts) {
        Subscriber sub = new Subscriber();
        for (AccountId a : accounts) {
            subscribers.computeIfAbsent(a, k -> new CopyOnWriteArraySet<>()).add(sub);
        }
        return HttpResponse.events(new HttpResponse.EventStream() {
            @Override
            public void run(OutputStream out) throws IOException {
                try {
                    out.write("retry: 2000\n: mailkit events\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    while (!closed && !sub.dropped) {
                        String ev;
                        try {
                            ev = sub.queue.poll(15, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        if (ev == END) {
                            return;
                        }
                        byte[] b = ev == null ? ": ping\n\n".getBytes(StandardCharsets.UTF_8)
                                : ("data: " + ev + "\n\n").getBytes(StandardCharsets.UTF_8);
                        out.write(b);
                        out.flush();
                    }
                } finally {
                    for (AccountId a : accounts) {
                        Set<Subscriber> set = subscribers.get(a);
                        if (set != null) {
                            set.remove(sub);
                        }
                    }
                }
            }
        });
    }

    /** Ends every stream. */
    void close() {
        closed = true;
        for (Set<Subscriber> set : subscribers.values()) {
            for (Subscriber s : set) {
                s.queue.clear();
                s.queue.offer(END);
            }
        }
    }
}
