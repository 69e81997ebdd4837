package dev.mailkit.web.internal.api;

import dev.mailkit.core.MailAddress;
import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayQueue;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The relay queue view under {@code /api/mailkit/v1/queue}: list, retry now, hold, release, delete. A logged-in user
 * sees and manages only the messages whose reverse-path is their own address; an open inbox sees all. The only
 * class besides the trace's relay adapter that uses mailkit-relay (optional): created only when a queue is set.
 * Thread-safe.
 */
final class QueueRoutes {
    private final RelayQueue queue;

    QueueRoutes(Object queue) {
        this.queue = (RelayQueue) queue;
    }

    private static boolean sees(Principal p, QueueEntry e) {
        if (p.isOpen()) {
            return true;
        }
        Optional<MailAddress> rp = e.reversePath();
        return rp.isPresent() && rp.get().lookupKey().equals(p.user.address().lookupKey());
    }

    HttpResponse list(HttpRequest r, Principal p) {
        List<Object> out = new ArrayList<>();
        for (QueueEntry e : queue.list()) {
            if (!sees(p, e)) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", e.id());
            m.put("From", e.reversePath().map(MailAddress::toString).orElse(""));
            List<Object> rcpts = new ArrayList<>();
            for (QueueEntry.Recipient rc : e.recipients()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("Address", rc.address().toString());
                x.put("State", rc.state().name().toLowerCase(java.util.Locale.ROOT));
                x.put("LastReply", rc.lastReply().orElse(""));
                rcpts.add(x);
            }
            m.put("Recipients", rcpts);
            m.put("Created", Render.time(e.created()));
            m.put("Size", e.size());
            m.put("Attempts", e.attempts());
            m.put("NextAttempt", e.nextAttempt().map(Render::time).orElse(""));
            m.put("Held", e.isHeld());
            m.put("Notification", e.isNotification());
            m.put("Origin", e.origin());
            out.add(m);
        }
        return HttpResponse.json(Json.write(out));
    }

    HttpResponse act(HttpRequest r, Principal p, String action) throws IOException {
        String id = r.param("qid");
        QueueEntry e = queue.entry(id).orElse(null);
        if (e == null || !sees(p, e)) {
            throw new HttpException(404, "no such queued message");
        }
        boolean done;
        switch (action) {
            case "retry": done = queue.retryNow(id); break;
            case "hold": done = queue.hold(id); break;
            case "release": done = queue.release(id); break;
            case "delete": done = queue.delete(id); break;
            default: throw new HttpException(404, "unknown action");
        }
        if (!done) {
            throw new HttpException(409, "the message is not in a state for " + action);
        }
        return HttpResponse.ok();
    }
}
