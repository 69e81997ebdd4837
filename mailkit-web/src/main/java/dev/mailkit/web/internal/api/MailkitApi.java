package dev.mailkit.web.internal.api;

import dev.mailkit.store.AccountId;
import dev.mailkit.store.CopyResult;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.store.mime.MimePart;
import dev.mailkit.web.MessageTrace;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.json.Json;
import dev.mailkit.web.internal.mail.MessageReader;
import dev.mailkit.web.internal.mail.PartInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * mailkit's additions, in Mailpit's style, under {@code /api/mailkit/v1/}: the accounts and mailboxes a user sees
 * (with counts), a message's SMTP envelope, session transcript and delivery trace, its MIME tree and the filters'
 * verdicts (Authentication-Results, Received-SPF, spam scores), flagging, moving between mailboxes, and the
 * recent transactions. An envelope and transcript name every recipient (BCC included), so a logged-in user sees
 * them only for mail they sent themselves; an open test inbox shows them for everything. Thread-safe.
 */
final class MailkitApi {
    private static final List<String> VERDICT_FIELDS = List.of("authentication-results", "received-spf",
            "arc-authentication-results", "dkim-signature", "x-spam-status", "x-spam-score", "x-spam-flag",
            "x-spam-level", "x-spamd-result", "x-rspamd-score", "x-virus-scanned", "x-virus-status");

    private final Access access;
    private final WebSettings settings;

    MailkitApi(Access access, WebSettings settings) {
        this.access = access;
        this.settings = settings;
    }

    /** GET /api/mailkit/v1/mailboxes: every account the requester sees, with its mailboxes and their counts. */
    HttpResponse mailboxes(HttpRequest r, Principal p) {
        List<Object> accounts = new ArrayList<>();
        for (AccountId id : p.accounts) {
            MailAccount a = settings.store.account(id);
            List<Object> boxes = new ArrayList<>();
            for (MailboxInfo info : a.list()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("Name", info.name().toString());
                b.put("Selectable", info.selectable());
                List<String> uses = new ArrayList<>();
                for (SpecialUse u : info.specialUse()) {
                    uses.add(u.attribute());
                }
                b.put("SpecialUse", uses);
                if (info.selectable()) {
                    try (Mailbox m = a.open(info.name())) {
                        MailboxStatus s = m.status();
                        b.put("Total", s.messages());
                        b.put("Unread", s.unseen());
                    } catch (MailStoreException e) {
                        continue;
                    }
                }
                boxes.add(b);
            }
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("Account", id.toString());
            am.put("Mailboxes", boxes);
            accounts.add(am);
        }
        return HttpResponse.json(Json.write(accounts));
    }

    /** GET /api/mailkit/v1/message/{id}/trace: envelope, transcript and events, where the requester may see them. */
    HttpResponse trace(HttpRequest r, Principal p) {
        Access.Found f = access.find(r, p, r.param("id"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TransactionID", f.digest.transactionId);
        Optional<MessageTrace> t = access.trace(p, f.digest);
        if (t.isPresent()) {
            m.putAll(Render.trace(t.get(), true));
        } else if (settings.trace != null && !f.digest.transactionId.isEmpty()) {
            // a recipient who did not send it sees what happened to their own copy only
            settings.trace.find(f.digest.transactionId).ifPresent(full -> m.put("Events", ownEvents(full, p)));
        }
        m.put("Verdicts", verdicts(f));
        return HttpResponse.json(Json.write(m));
    }

    private static List<Object> ownEvents(MessageTrace t, Principal p) {
        List<Object> out = new ArrayList<>();
        String own = p.user.address().toString().toLowerCase(Locale.ROOT);
        for (MessageTrace.Event e : t.events()) {
            if (e.kind().equals("received") || e.subject().toLowerCase(Locale.ROOT).equals(own)) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("Time", Render.time(e.time()));
                ev.put("Kind", e.kind());
                ev.put("Subject", e.subject());
                ev.put("Detail", e.kind().equals("received") ? "" : e.detail());
                out.add(ev);
            }
        }
        return out;
    }

    private List<Object> verdicts(Access.Found f) {
        List<Object> out = new ArrayList<>();
        try (dev.mailkit.core.MessageSource src = Access.content(f)) {
            for (String[] h : MessageReader.headers(src, Access.structure(f))) {
                if (VERDICT_FIELDS.contains(h[0].toLowerCase(Locale.ROOT))) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("Name", h[0]);
                    v.put("Value", h[1]);
                    out.add(v);
                }
            }
        } catch (java.io.IOException e) {
            throw new HttpException(500, "cannot read the message");
        }
        return out;
    }

    /** GET /api/mailkit/v1/message/{id}/structure: the MIME tree. */
    HttpResponse structure(HttpRequest r, Principal p) {
        Access.Found f = access.find(r, p, r.param("id"));
        MessageStructure st = Access.structure(f);
        Map<String, PartInfo> leaves = new LinkedHashMap<>();
        for (PartInfo pi : MessageReader.parts(st)) {
            leaves.put(pi.partId(), pi);
        }
        MimePart body = st.body();
        Object tree = body.isMultipart() ? node(body, "", leaves, 0) : node(body, "1", leaves, 0);
        return HttpResponse.json(Json.write(tree));
    }

    private static Map<String, Object> node(MimePart part, String id, Map<String, PartInfo> leaves, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PartID", id);
        m.put("ContentType", (part.type() + "/" + part.subtype()).toLowerCase(Locale.ROOT));
        m.put("Size", part.bodyLength());
        PartInfo leaf = leaves.get(id);
        if (leaf != null) {
            m.put("Role", leaf.role().name().toLowerCase(Locale.ROOT));
            m.put("FileName", leaf.fileName());
        }
        if (part.isMultipart() && depth < 40) {
            List<Object> children = new ArrayList<>();
            List<MimePart> cs = part.children();
            for (int i = 0; i < cs.size() && i < 500; i++) {
                children.add(node(cs.get(i), (id.isEmpty() ? "" : id + ".") + (i + 1), leaves, depth + 1));
            }
            m.put("Parts", children);
        }
        return m;
    }

    /** PUT /api/mailkit/v1/messages/flags: {"IDs": [...], "Flagged": true|false}. */
    HttpResponse flag(HttpRequest r, Principal p) {
        Map<String, Object> body = MailpitApi.body(r);
        Object flagged = body.get("Flagged");
        if (!(flagged instanceof Boolean)) {
            throw new HttpException(400, "Flagged must be true or false");
        }
        for (String id : MailpitApi.strings(body.get("IDs"), "IDs")) {
            Access.Found f = access.find(r, p, id);
            Access.flags(f.index, UidSet.of(f.id.uid()), (Boolean) flagged ? FlagOperation.ADD : FlagOperation.REMOVE,
                    Flags.of(SystemFlag.FLAGGED));
        }
        return HttpResponse.ok();
    }

    /** POST /api/mailkit/v1/messages/move: {"IDs": [...], "Mailbox": "Archive"} within the same account. */
    HttpResponse move(HttpRequest r, Principal p) {
        Map<String, Object> body = MailpitApi.body(r);
        Object target = body.get("Mailbox");
        if (!(target instanceof String)) {
            throw new HttpException(400, "Mailbox names the mailbox to move to");
        }
        MailboxName to;
        try {
            to = MailboxName.of((String) target);
        } catch (MailStoreException e) {
            throw new HttpException(400, "invalid mailbox name");
        }
        int moved = 0;
        for (String id : MailpitApi.strings(body.get("IDs"), "IDs")) {
            Access.Found f = access.find(r, p, id);
            if (f.id.mailbox().name().equals(to)) {
                continue;
            }
            MailAccount account = settings.store.account(f.id.mailbox().account());
            try (Mailbox dest = account.open(to);
                 MailboxView v = f.index.mailbox().openView(ViewMode.READ_WRITE)) {
                CopyResult c = v.move(UidSet.of(f.id.uid()), dest);
                moved += (int) c.expunged().count();
            } catch (MailStoreException e) {
                throw new HttpException(e.reason() == MailStoreException.Reason.NOT_FOUND ? 404 : 400,
                        "cannot move: " + e.getMessage());
            }
            f.index.sync();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Moved", moved);
        return HttpResponse.json(Json.write(m));
    }

    /** GET /api/mailkit/v1/transactions: the latest transactions the requester sent (all of them when open). */
    HttpResponse transactions(HttpRequest r, Principal p) {
        if (settings.trace == null) {
            return HttpResponse.json("[]");
        }
        List<Object> out = new ArrayList<>();
        for (MessageTrace t : settings.trace.recent(500)) {
            String sender = t.envelope().authenticatedUser().orElse("");
            boolean mine = p.isOpen() || sender.equalsIgnoreCase(p.user.username())
                    || sender.equalsIgnoreCase(p.user.address().toString());
            if (mine && out.size() < 200) {
                out.add(Render.trace(t, true));
            }
        }
        return HttpResponse.json(Json.write(out));
    }
}
