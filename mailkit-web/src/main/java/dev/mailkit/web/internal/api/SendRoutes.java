package dev.mailkit.web.internal.api;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MailAddressException;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.web.TraceRecorder;
import dev.mailkit.web.internal.http.HttpException;
import dev.mailkit.web.internal.http.HttpRequest;
import dev.mailkit.web.internal.http.HttpResponse;
import dev.mailkit.web.internal.json.Json;
import dev.mailkit.web.internal.mail.Digest;
import dev.mailkit.web.internal.mail.MailboxIndex;
import dev.mailkit.web.internal.mail.MessageId;
import dev.mailkit.web.internal.mail.MessageId.MailboxKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/send} (Mailpit's JSON message, plus mailkit's {@code InReplyTo}: the ID of the message
 * answered) and {@code POST /api/v1/message/{ID}/release}. A logged-in user sends only as their own address; the
 * message goes to the configured submission {@link dev.mailkit.web.MailSender} (on the runnable server the relay
 * queue, which delivers local recipients and relays, signing, the rest) and a copy into the user's Sent mailbox.
 * Every message gets a {@code Received:} field naming its transaction id, which the delivery trace knows it by.
 * Thread-safe.
 */
final class SendRoutes {
    private final Access access;
    private final WebSettings settings;

    SendRoutes(Access access, WebSettings settings) {
        this.access = access;
        this.settings = settings;
    }

    HttpResponse send(HttpRequest r, Principal p) throws IOException {
        if (settings.submission == null) {
            throw new HttpException(400, "sending is not configured on this server (WebServer.Builder.submission)");
        }
        Map<String, Object> body = MailpitApi.body(r);
        Access.Found answered = null;
        Object inReplyTo = body.get("InReplyTo");
        if (inReplyTo instanceof String && !((String) inReplyTo).isEmpty()) {
            answered = access.find(r, p, (String) inReplyTo);
        }
        String txid = "web-" + Long.toString(settings.random.nextLong() & Long.MAX_VALUE, 36);
        Composer.Composed c = Composer.compose(body, p.user == null ? null : p.user.address(), settings.hostName,
                answered == null ? null : answered.digest.messageId, settings.random);
        ZonedDateTime now = ZonedDateTime.now(settings.clock);
        String received = "Received: by " + settings.hostName + " (mailkit) with HTTP id " + txid
                + (p.user == null ? "" : "\r\n\t(authenticated as " + clean(p.user.username()) + ")")
                + ";\r\n\t" + dev.mailkit.core.MessageDates.format(now) + "\r\n";
        MessageSource message = MessageSource.of(c.bytes).withPrefix(received.getBytes(StandardCharsets.UTF_8));
        Envelope.Builder eb = Envelope.builder().reversePath(c.from).recipients(c.recipients).transactionId(txid)
                .protocol("HTTP").receivedAt(now.toInstant());
        if (p.user != null) {
            eb.authenticatedUser(p.user.username());
        }
        Envelope envelope = eb.build();
        TraceRecorder trace = settings.recorder();
        if (trace != null) { // before the hand-off: a relay queue reports it as queued before send() returns
            trace.record(txid, envelope, List.of(), "submitted", p.name(), "over HTTP" + (p.user == null ? ""
                    : " by " + p.user.username()) + ", Message-ID <" + c.messageId + ">");
        }
        try {
            settings.submission.send(envelope, message);
        } catch (IOException e) {
            if (trace != null) {
                trace.record(txid, envelope, List.of(), "failed", p.name(), e.getMessage());
            }
            throw new HttpException(400, "not sent: " + e.getMessage());
        }
        if (answered != null) {
            Access.flags(answered.index, UidSet.of(answered.id.uid()), FlagOperation.ADD,
                    Flags.of(SystemFlag.ANSWERED));
        }
        List<String> tagKeywords = new ArrayList<>();
        for (String t : MailpitApi.strings(body.get("Tags"), "Tags")) {
            String cl = dev.mailkit.web.internal.mail.Tags.clean(t);
            if (!cl.isEmpty()) {
                tagKeywords.add(dev.mailkit.web.internal.mail.Tags.keyword(cl));
            }
        }
        String id = p.user != null ? sentCopy(p.user.address(), message, tagKeywords)
                : findCaptured(p, c.messageId, tagKeywords);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id);
        return HttpResponse.json(Json.write(m));
    }

    private static String clean(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f || c == '(' || c == ')' || c == '\\' ? '_' : c);
        }
        return sb.toString();
    }

    /** Files the sent message into the user's Sent mailbox (created if missing) and returns its ID. */
    private String sentCopy(MailAddress user, MessageSource message, List<String> tags) {
        AccountId account = AccountId.of(user);
        MailAccount a = settings.store.account(account);
        MailboxName sent = null;
        for (MailboxInfo info : a.list()) {
            if (info.specialUse().contains(SpecialUse.SENT)) {
                sent = info.name();
                break;
            }
        }
        if (sent == null) {
            sent = MailboxName.of("Sent");
            if (!a.exists(sent)) {
                try {
                    a.create(sent, java.util.Set.of(SpecialUse.SENT));
                } catch (MailStoreException e) {
                    if (e.reason() != MailStoreException.Reason.ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
        }
        try (Mailbox box = a.open(sent)) {
            long uid = box.append(message, Flags.of(List.of(SystemFlag.SEEN), tags), null);
            return new MessageId(new MailboxKey(account, sent), box.uidValidity(), uid).encode();
        }
    }

    /** On an open test inbox: the ID of the message just sent, once it arrived in the default mailbox. */
    private String findCaptured(Principal p, String messageId, List<String> tags) {
        MailboxIndex idx = access.index(new MailboxKey(p.defaultAccount(), MailboxName.INBOX), p);
        MailboxIndex.Snapshot s = idx.current();
        for (int i = s.size() - 1; i >= 0; i--) {
            Digest d = s.get(i);
            if (d.messageId.equals(messageId)) {
                if (!tags.isEmpty()) {
                    Access.flags(idx, UidSet.of(d.uid), FlagOperation.ADD, Flags.of(List.of(), tags));
                }
                return new MessageId(idx.key(), idx.mailbox().uidValidity(), d.uid).encode();
            }
        }
        return "";
    }

    HttpResponse release(HttpRequest r, Principal p) throws IOException {
        if (settings.release == null) {
            throw new HttpException(400, "release is not configured on this server (WebServer.Builder.release)");
        }
        Access.Found f = access.find(r, p, r.param("id"));
        Object to = MailpitApi.body(r).get("To");
        List<String> list = MailpitApi.strings(to, "To");
        if (list.isEmpty()) {
            throw new HttpException(400, "To must name at least one address");
        }
        Envelope.Builder eb = Envelope.builder();
        try {
            for (String a : list) {
                eb.recipient(MailAddress.parse(a.trim()));
            }
            String from = !f.digest.returnPath.isEmpty() ? f.digest.returnPath : f.digest.from.address;
            eb.reversePath(from.isEmpty() ? null : MailAddress.parse(from));
        } catch (MailAddressException e) {
            throw new HttpException(400, "invalid address: " + e.getMessage());
        }
        if (p.user != null) {
            eb.authenticatedUser(p.user.username());
        }
        try (MessageSource src = Access.content(f)) {
            settings.release.send(eb.protocol("HTTP").build(), src);
        } catch (IOException e) {
            throw new HttpException(400, "not released: " + e.getMessage());
        }
        return HttpResponse.ok();
    }
}
