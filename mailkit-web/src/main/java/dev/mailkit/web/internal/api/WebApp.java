package dev.mailkit.web.internal.api;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.web.internal.auth.Logins;
import dev.mailkit.web.internal.auth.Sessions;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.http.Router;
import dev.mailkit.web.internal.json.Json;
import dev.mailkit.web.internal.mail.Digest;
import dev.mailkit.web.internal.mail.Indexes;
import dev.mailkit.web.internal.mail.MailboxIndex;
import dev.mailkit.web.internal.mail.MessageId;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;
import dev.mailkit.web.internal.mail.Tags;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The web server's application: every request passes the {@link Gate}, then the router; mailbox changes from the
 * indexes become server-sent events. Thread-safe.
 */
public final class WebApp implements Router.Handler, MailboxIndex.Listener, AutoCloseable {
    /** mailkit's version as {@code /api/v1/info} reports it. */
    public static final String VERSION = "0.1.0-SNAPSHOT";

    private interface Route {
        HttpResponse handle(HttpRequest r, Principal p) throws IOException;
    }

    private final WebSettings settings;
    private final Indexes indexes;
    private final EventHub hub = new EventHub();
    private final Gate gate;
    private final Access access;
    private final Pages pages;
    private final Router open = new Router();
    private final Router router = new Router();

    private final Set<String> publicPaths = new HashSet<>(Set.of("login", "ui", "favicon.ico"));

    public WebApp(WebSettings settings, Executor syncExecutor, Supplier<String> metrics,
                  Supplier<List<String>> health) {
        this.settings = settings;
        this.indexes = new Indexes(settings.store, syncExecutor, this, settings.indexedMailboxes);
        Sessions sessions = new Sessions(settings.random, settings.clock, settings.sessionIdle, settings.sessionMax,
                10_000);
        Logins logins = settings.users == null ? null
                : new Logins(settings.users, settings.penalty, settings.clock, settings.random);
        this.gate = new Gate(settings, sessions, logins);
        this.access = new Access(settings, indexes);
        this.pages = new Pages(sessions, logins, settings);
        MailpitApi mailpit = new MailpitApi(access, settings);
        MessageRoutes message = new MessageRoutes(access);
        SendRoutes send = new SendRoutes(access, settings);
        MailkitApi mailkit = new MailkitApi(access, settings);

        open.add("GET", "/login", pages::loginForm);
        open.add("POST", "/login", pages::login);
        open.add("GET", "/ui/{file}", pages::file);
        open.add("GET", "/favicon.ico", r -> HttpResponse.status(204));
        if (metrics != null) {
            publicPaths.add("metrics");
            open.add("GET", "/metrics", r -> HttpResponse.bytes(200, "text/plain; version=0.0.4; charset=utf-8",
                    metrics.get().getBytes(StandardCharsets.UTF_8)).header("Cache-Control", "no-store"));
        }
        if (health != null) {
            publicPaths.add("health");
            open.add("GET", "/health", r -> {
                List<String> problems = health.get();
                return HttpResponse.text(problems.isEmpty() ? 200 : 503, problems.isEmpty() ? "UP\n"
                        : "DOWN\n" + String.join("\n", problems) + "\n").header("Cache-Control", "no-store");
            });
        }

        route("GET", "/", (r, p) -> pages.index());
        route("POST", "/logout", pages::logout);
        route("GET", "/api/v1/info", mailpit::info);
        route("GET", "/api/v1/webui", mailpit::webui);
        route("GET", "/api/v1/messages", mailpit::list);
        route("PUT", "/api/v1/messages", mailpit::readStatus);
        route("DELETE", "/api/v1/messages", mailpit::delete);
        route("GET", "/api/v1/search", mailpit::search);
        route("DELETE", "/api/v1/search", mailpit::deleteSearch);
        route("GET", "/api/v1/message/{id}", message::summary);
        route("GET", "/api/v1/message/{id}/headers", message::headers);
        route("GET", "/api/v1/message/{id}/raw", (r, p) -> message.raw(r, p));
        route("GET", "/api/v1/message/{id}/part/{part}", (r, p) -> message.part(r, p));
        route("GET", "/api/v1/message/{id}/part/{part}/thumb", (r, p) -> notSupported("thumbnails"));
        route("GET", "/api/v1/message/{id}/html-check", (r, p) -> notSupported("the HTML check"));
        route("GET", "/api/v1/message/{id}/link-check", (r, p) -> notSupported("the link check"));
        route("GET", "/api/v1/message/{id}/sa-check", (r, p) -> notSupported("SpamAssassin checks"));
        route("POST", "/api/v1/message/{id}/release", send::release);
        route("POST", "/api/v1/send", send::send);
        route("GET", "/api/v1/tags", mailpit::tags);
        route("PUT", "/api/v1/tags", mailpit::setTags);
        route("PUT", "/api/v1/tags/{tag}", mailpit::renameTag);
        route("DELETE", "/api/v1/tags/{tag}", mailpit::deleteTag);
        route("GET", "/api/v1/chaos", (r, p) -> notSupported("chaos (use mailkit-test's faults)"));
        route("GET", "/view/{id}.html", message::viewHtml);
        route("GET", "/view/{id}.txt", message::viewText);
        route("GET", "/api/events", this::events);
        route("GET", "/api/mailkit/v1/mailboxes", mailkit::mailboxes);
        route("GET", "/api/mailkit/v1/message/{id}/trace", (r, p) -> mailkit.trace(r, p));
        route("GET", "/api/mailkit/v1/message/{id}/structure", (r, p) -> mailkit.structure(r, p));
        route("PUT", "/api/mailkit/v1/messages/flags", (r, p) -> mailkit.flag(r, p));
        route("POST", "/api/mailkit/v1/messages/move", (r, p) -> mailkit.move(r, p));
        route("GET", "/api/mailkit/v1/transactions", (r, p) -> mailkit.transactions(r, p));
        if (settings.relayQueue != null) {
            QueueRoutes queue = new QueueRoutes(settings.relayQueue);
            route("GET", "/api/mailkit/v1/queue", queue::list);
            for (String action : List.of("retry", "hold", "release")) {
                route("POST", "/api/mailkit/v1/queue/{qid}/" + action, (r, p) -> queue.act(r, p, action));
            }
            route("DELETE", "/api/mailkit/v1/queue/{qid}", (r, p) -> queue.act(r, p, "delete"));
        }
    }

    private void route(String method, String pattern, Route route) {
        router.add(method, pattern, r -> route.handle(r, (Principal) r.attached()));
    }

    private static HttpResponse notSupported(String what) {
        throw new HttpException(404, "mailkit does not offer " + what);
    }

    @Override
    public HttpResponse handle(HttpRequest r) throws IOException {
        gate.checkHost(r);
        gate.checkSameOrigin(r);
        List<String> seg = r.segments();
        boolean publicPath = !seg.isEmpty() && publicPaths.contains(seg.get(0));
        if (publicPath) {
            return open.dispatch(r);
        }
        Principal p;
        try {
            p = gate.authenticate(r);
        } catch (HttpException e) {
            if (e.status() == 401) {
                return unauthorized(r, e.getMessage());
            }
            throw e;
        }
        if (p == null) {
            if (seg.isEmpty()) {
                return HttpResponse.redirect("/login");
            }
            return unauthorized(r, "log in: HTTP Basic with a mailbox user's address and password");
        }
        r.attach(p);
        try {
            return router.dispatch(r);
        } catch (MailStoreException e) {
            switch (e.reason()) {
                case NOT_FOUND: throw new HttpException(404, "not found");
                case OVER_QUOTA: throw new HttpException(400, "over quota");
                case IN_USE: throw new HttpException(409, "the mailbox is in use");
                default: throw new HttpException(400, e.getMessage());
            }
        }
    }

    private static HttpResponse unauthorized(HttpRequest r, String text) {
        HttpResponse resp = HttpResponse.text(401, text + "\n");
        // a browser that got this challenge would ask for, and then keep sending, the password: the inbox's own
        // requests (X-Requested-With) are answered without it, so a lapsed session sends the user to the login page
        if (r.header("x-requested-with") == null) {
            resp.header("WWW-Authenticate", "Basic realm=\"mailkit\", charset=\"UTF-8\"");
        }
        return resp;
    }

    private HttpResponse events(HttpRequest r, Principal p) {
        for (AccountId a : p.accounts) {
            try {
                indexes.get(new MailboxKey(a, MailboxName.INBOX)); // so that new mail is seen and told
            } catch (MailStoreException ignored) {
                // no INBOX yet
            }
        }
        return hub.stream(p.accounts);
    }

    @Override
    public void changed(MailboxIndex index, List<Digest> added, UidSet removed, UidSet flagsChanged) {
        AccountId account = index.key().account();
        if (!hub.watched(account)) {
            return;
        }
        String mailbox = index.key().name().toString();
        long uidValidity;
        try {
            uidValidity = index.mailbox().uidValidity();
        } catch (RuntimeException e) {
            publish(account, "reload", Map.of("Mailbox", mailbox));
            return;
        }
        for (Digest d : added) {
            MessageId id = new MessageId(index.key(), uidValidity, d.uid);
            Optional<dev.mailkit.web.MessageTrace> t = settings.open() && settings.trace != null
                    && !d.transactionId.isEmpty() ? settings.trace.find(d.transactionId) : Optional.empty();
            publish(account, "new", Render.summary(d, index.lastSynced().flags(d.uid), id, t));
        }
        if (!removed.isEmpty()) {
            if (removed.size() > 200 || removed.equals(UidSet.all())) {
                publish(account, "reload", Map.of("Mailbox", mailbox));
            } else {
                List<String> ids = new ArrayList<>();
                for (long uid : removed) {
                    ids.add(new MessageId(index.key(), uidValidity, uid).encode());
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("IDs", ids);
                data.put("Mailbox", mailbox);
                publish(account, "delete", data);
            }
        }
        if (flagsChanged.size() > 200) {
            publish(account, "reload", Map.of("Mailbox", mailbox));
        } else {
            for (long uid : flagsChanged) {
                Flags f = index.lastSynced().flags(uid);
                if (f == null) {
                    continue;
                }
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("ID", new MessageId(index.key(), uidValidity, uid).encode());
                data.put("Mailbox", mailbox);
                data.put("Read", f.contains(SystemFlag.SEEN));
                data.put("Flagged", f.contains(SystemFlag.FLAGGED));
                data.put("Answered", f.contains(SystemFlag.ANSWERED));
                data.put("Tags", Tags.of(f));
                publish(account, "update", data);
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("Mailbox", mailbox);
        stats.put("Account", account.toString());
        stats.put("Total", index.lastSynced().size());
        stats.put("Unread", index.mailbox().status().unseen());
        publish(account, "stats", stats);
    }

    private void publish(AccountId account, String type, Object data) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("Type", type);
        ev.put("Data", data);
        hub.publish(account, Json.write(ev));
    }

    /** Ends every event stream and closes the indexes. */
    @Override
    public void close() {
        hub.close();
        indexes.close();
    }
}
