package dev.mailkit.web.internal.api;

import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.json.Json;
import dev.mailkit.web.internal.mail.Digest;
import dev.mailkit.web.internal.mail.MailboxIndex;
import dev.mailkit.web.internal.mail.MessageId;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;
import dev.mailkit.web.internal.mail.SearchQuery;
import dev.mailkit.web.internal.mail.Tags;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Mailpit's API v1 over a mailbox: list and paging, search, delete (by ID, by search, all), read status, tags and
 * info. Lists are newest first (by UID, the order of arrival). Mailpit's "read" is IMAP's {@code \Seen}, its tags
 * are IMAP keywords ({@link Tags}), its delete is IMAP's {@code \Deleted} plus expunge. Thread-safe.
 */
final class MailpitApi {
    static final int MAX_LIMIT = 1000;

    private final Access access;
    private final WebSettings settings;
    private final long started;

    MailpitApi(Access access, WebSettings settings) {
        this.access = access;
        this.settings = settings;
        this.started = settings.clock.millis();
    }

    HttpResponse list(HttpRequest r, Principal p) {
        return page(r, p, null);
    }

    HttpResponse search(HttpRequest r, Principal p) {
        String q = r.query("query");
        if (q == null) {
            throw new HttpException(400, "the query parameter is required");
        }
        return page(r, p, SearchQuery.parse(q, zone(r)));
    }

    private HttpResponse page(HttpRequest r, Principal p, SearchQuery query) {
        long start = number(r.query("start"), 0, "start");
        long limit = Math.min(number(r.query("limit"), 50, "limit"), MAX_LIMIT);
        MailboxIndex idx = access.index(access.mailbox(r, p), p);
        MailboxIndex.Snapshot s = idx.current();
        long uidValidity = idx.mailbox().uidValidity();
        List<Object> messages = new ArrayList<>();
        int matches = 0;
        int matchesUnread = 0;
        boolean searching = query != null && !query.isEmpty();
        for (int i = s.size() - 1; i >= 0; i--) {
            Digest d = s.get(i);
            Flags f = s.flagsAt(i);
            if (searching) {
                if (!query.matches(d, f)) {
                    continue;
                }
                if (f != null && !f.contains(SystemFlag.SEEN)) {
                    matchesUnread++;
                }
            }
            if (matches >= start && messages.size() < limit) {
                MessageId id = new MessageId(idx.key(), uidValidity, d.uid);
                messages.add(Render.summary(d, f, id, p.isOpen() ? access.trace(p, d) : java.util.Optional.empty()));
            }
            matches++;
        }
        int unread = idx.mailbox().status().unseen();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", s.size());
        m.put("unread", unread);
        m.put("count", messages.size());
        m.put("messages_count", matches);
        m.put("messages_unread", searching ? matchesUnread : unread);
        m.put("start", start);
        m.put("tags", mailboxTags(idx));
        m.put("messages", messages);
        return HttpResponse.json(Json.write(m));
    }

    /** The tags some message of the mailbox has now (keywords once used but gone from every message are not). */
    private static List<String> mailboxTags(MailboxIndex idx) {
        boolean any = false;
        for (String k : idx.mailbox().keywords()) {
            any |= !k.startsWith("$");
        }
        java.util.TreeSet<String> out = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (any) {
            MailboxIndex.Snapshot s = idx.current();
            for (int i = 0; i < s.size(); i++) {
                out.addAll(Tags.of(s.flagsAt(i)));
            }
        }
        return new ArrayList<>(out);
    }

    static ZoneId zone(HttpRequest r) {
        String tz = r.query("tz");
        if (tz == null || tz.isEmpty()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new HttpException(400, "unknown time zone (use an IANA name such as Europe/Berlin)");
        }
    }

    static long number(String v, long def, String what) {
        if (v == null || v.isEmpty()) {
            return def;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new HttpException(400, what + " must be a whole number of zero or more");
        }
    }

    /** DELETE /api/v1/messages: the IDs given, or every message of the mailbox. */
    HttpResponse delete(HttpRequest r, Principal p) {
        Map<String, Object> body = body(r);
        List<String> ids = strings(body.get("IDs"), "IDs");
        if (ids.isEmpty()) {
            MailboxIndex idx = access.index(access.mailbox(r, p), p);
            Access.delete(idx, UidSet.all());
        } else {
            for (Map.Entry<MailboxIndex, UidSet> e : group(r, p, ids).entrySet()) {
                Access.delete(e.getKey(), e.getValue());
            }
        }
        return HttpResponse.ok();
    }

    /** DELETE /api/v1/search: every message matching the query. */
    HttpResponse deleteSearch(HttpRequest r, Principal p) {
        String q = r.query("query");
        if (q == null || q.isBlank()) {
            throw new HttpException(400, "the query parameter is required");
        }
        MailboxIndex idx = access.index(access.mailbox(r, p), p);
        Access.delete(idx, matching(idx, SearchQuery.parse(q, zone(r))));
        return HttpResponse.ok();
    }

    /** PUT /api/v1/messages: read status of the IDs, or of the messages matching Search, or of all. */
    HttpResponse readStatus(HttpRequest r, Principal p) {
        Map<String, Object> body = body(r);
        boolean read = Boolean.TRUE.equals(body.get("Read"));
        List<String> ids = strings(body.get("IDs"), "IDs");
        Object search = body.get("Search");
        FlagOperation op = read ? FlagOperation.ADD : FlagOperation.REMOVE;
        Flags seen = Flags.of(SystemFlag.SEEN);
        if (!ids.isEmpty()) {
            for (Map.Entry<MailboxIndex, UidSet> e : group(r, p, ids).entrySet()) {
                Access.flags(e.getKey(), e.getValue(), op, seen);
            }
        } else {
            MailboxIndex idx = access.index(access.mailbox(r, p), p);
            UidSet uids = search instanceof String && !((String) search).isBlank()
                    ? matching(idx, SearchQuery.parse((String) search, zone(r))) : UidSet.all();
            Access.flags(idx, uids, op, seen);
        }
        return HttpResponse.ok();
    }

    private static UidSet matching(MailboxIndex idx, SearchQuery q) {
        MailboxIndex.Snapshot s = idx.current();
        UidSet.Builder b = UidSet.builder();
        for (int i = 0; i < s.size(); i++) {
            if (q.matches(s.get(i), s.flagsAt(i))) {
                b.add(s.get(i).uid);
            }
        }
        return b.build();
    }

    /** The IDs grouped by mailbox; unknown IDs are a 404 (nothing is changed then). */
    private Map<MailboxIndex, UidSet> group(HttpRequest r, Principal p, List<String> ids) {
        Map<MailboxKey, MailboxIndex> indexes = new LinkedHashMap<>();
        Map<MailboxKey, UidSet.Builder> uids = new LinkedHashMap<>();
        for (String id : ids) {
            Access.Found f = access.find(r, p, id);
            indexes.put(f.id.mailbox(), f.index);
            uids.computeIfAbsent(f.id.mailbox(), k -> UidSet.builder()).add(f.id.uid());
        }
        Map<MailboxIndex, UidSet> out = new LinkedHashMap<>();
        for (Map.Entry<MailboxKey, MailboxIndex> e : indexes.entrySet()) {
            out.put(e.getValue(), uids.get(e.getKey()).build());
        }
        return out;
    }

    /** GET /api/v1/tags: the tags of the mailbox. */
    HttpResponse tags(HttpRequest r, Principal p) {
        return HttpResponse.json(Json.write(mailboxTags(access.index(access.mailbox(r, p), p))));
    }

    /** PUT /api/v1/tags: sets exactly these tags on these messages. */
    HttpResponse setTags(HttpRequest r, Principal p) {
        Map<String, Object> body = body(r);
        List<String> ids = strings(body.get("IDs"), "IDs");
        List<String> keywords = new ArrayList<>();
        for (String t : strings(body.get("Tags"), "Tags")) {
            String c = Tags.clean(t);
            if (!c.isEmpty()) {
                keywords.add(Tags.keyword(c));
            }
        }
        for (String id : ids) {
            Access.Found f = access.find(r, p, id);
            Flags now = f.index.flags(f.id.uid());
            if (now == null) {
                continue;
            }
            List<String> keep = new ArrayList<>(keywords);
            for (String k : now.keywords()) {
                if (k.startsWith("$")) {
                    keep.add(k);
                }
            }
            Access.flags(f.index, UidSet.of(f.id.uid()), FlagOperation.REPLACE,
                    Flags.of(now.systemFlags(), keep));
        }
        return HttpResponse.ok();
    }

    /** PUT /api/v1/tags/{tag}: renames a tag on every message of the mailbox. */
    HttpResponse renameTag(HttpRequest r, Principal p) {
        String from = Tags.clean(r.param("tag"));
        Object name = body(r).get("Name");
        String to = name instanceof String ? Tags.clean((String) name) : "";
        if (from.isEmpty() || to.isEmpty()) {
            throw new HttpException(400, "give the tag to rename in the path and the new name as Name");
        }
        MailboxIndex idx = access.index(access.mailbox(r, p), p);
        UidSet tagged = matching(idx, SearchQuery.parse("tag:\"" + from + "\"", ZoneOffset.UTC));
        Access.flags(idx, tagged, FlagOperation.REMOVE, Flags.of(List.of(), List.of(Tags.keyword(from))));
        Access.flags(idx, tagged, FlagOperation.ADD, Flags.of(List.of(), List.of(Tags.keyword(to))));
        return HttpResponse.ok();
    }

    /** DELETE /api/v1/tags/{tag}: removes a tag from every message of the mailbox. */
    HttpResponse deleteTag(HttpRequest r, Principal p) {
        String tag = Tags.clean(r.param("tag"));
        if (tag.isEmpty()) {
            throw new HttpException(400, "no such tag");
        }
        MailboxIndex idx = access.index(access.mailbox(r, p), p);
        Access.flags(idx, UidSet.all(), FlagOperation.REMOVE, Flags.of(List.of(), List.of(Tags.keyword(tag))));
        return HttpResponse.ok();
    }

    /** GET /api/v1/info. */
    HttpResponse info(HttpRequest r, Principal p) {
        MailboxIndex idx = access.index(access.mailbox(r, p), p);
        MailboxIndex.Snapshot s = idx.current();
        Map<String, Integer> tags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        long size = 0;
        for (int i = 0; i < s.size(); i++) {
            size += s.get(i).size;
            for (String t : Tags.of(s.flagsAt(i))) {
                tags.merge(t, 1, Integer::sum);
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("Uptime", (settings.clock.millis() - started) / 1000);
        stats.put("Memory", Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        stats.put("MessagesDeleted", 0);
        stats.put("SMTPAccepted", 0);
        stats.put("SMTPAcceptedSize", 0);
        stats.put("SMTPRejected", 0);
        stats.put("SMTPIgnored", 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Version", "mailkit " + WebApp.VERSION);
        m.put("LatestVersion", "");
        m.put("Database", idx.key().toString());
        m.put("DatabaseSize", size);
        m.put("Messages", s.size());
        m.put("Unread", idx.mailbox().status().unseen());
        m.put("Tags", tags);
        m.put("RuntimeStats", stats);
        return HttpResponse.json(Json.write(m));
    }

    /** GET /api/v1/webui: Mailpit's UI settings, plus mailkit's. */
    HttpResponse webui(HttpRequest r, Principal p) {
        Map<String, Object> relay = new LinkedHashMap<>();
        relay.put("Enabled", settings.release != null);
        relay.put("SMTPServer", settings.release == null ? "" : settings.release.toString());
        relay.put("AllowedRecipients", "");
        relay.put("BlockedRecipients", "");
        relay.put("OverrideFrom", "");
        relay.put("ReturnPath", "");
        relay.put("PreserveMessageIDs", true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Label", settings.label);
        m.put("MessageRelay", relay);
        m.put("SpamAssassin", false);
        m.put("ChaosEnabled", false);
        m.put("DuplicatesIgnored", false);
        m.put("HideDeleteAllButton", false);
        m.put("Open", p.isOpen());
        m.put("User", p.name());
        m.put("Address", p.user == null ? "" : p.user.address().toString());
        m.put("Accounts", p.accounts.stream().map(Object::toString).collect(java.util.stream.Collectors.toList()));
        m.put("SendEnabled", settings.submission != null);
        m.put("QueueEnabled", settings.relayQueue != null);
        m.put("TraceEnabled", settings.trace != null);
        m.put("CSRF", p.session == null ? "" : p.session.csrf());
        return HttpResponse.json(Json.write(m));
    }

    static Map<String, Object> body(HttpRequest r) {
        Gate.requireJsonBody(r);
        if (r.body().length == 0) {
            return new LinkedHashMap<>();
        }
        try {
            return Json.parseObject(r.bodyText());
        } catch (Json.JsonException e) {
            throw new HttpException(400, e.getMessage());
        }
    }

    static List<String> strings(Object v, String what) {
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List)) {
            throw new HttpException(400, what + " must be an array of strings");
        }
        for (Object o : (List<?>) v) {
            if (!(o instanceof String)) {
                throw new HttpException(400, what + " must be an array of strings");
            }
            out.add((String) o);
        }
        return out;
    }
}
