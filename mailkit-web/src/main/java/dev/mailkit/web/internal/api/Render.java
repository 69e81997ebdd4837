package dev.mailkit.web.internal.api;

import dev.mailkit.core.MailAddress;
import dev.mailkit.store.Flags;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.web.MessageTrace;
import dev.mailkit.web.internal.mail.Digest;
import dev.mailkit.web.internal.mail.MessageId;
import dev.mailkit.web.internal.mail.MessageReader;
import dev.mailkit.web.internal.mail.Tags;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Mailpit's JSON shapes (MessageSummary, Address, ...) from mailkit's digests. Stateless. */
final class Render {
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Render() {
    }

    static String time(long millis) {
        return RFC3339.format(Instant.ofEpochMilli(millis));
    }

    static String time(Instant t) {
        return RFC3339.format(t);
    }

    static Map<String, Object> address(MessageReader.Address a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", a.name);
        m.put("Address", a.address);
        return m;
    }

    static List<Object> addresses(List<MessageReader.Address> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (MessageReader.Address a : list) {
            out.add(address(a));
        }
        return out;
    }

    /**
     * Mailpit's MessageSummary, plus mailkit's {@code Mailbox}, {@code Account}, {@code Flagged} and
     * {@code Answered}. {@code Bcc} is the message's Bcc field plus, when {@code envelope} is given (an open test
     * inbox), the envelope recipients that no To or Cc field names.
     */
    static Map<String, Object> summary(Digest d, Flags f, MessageId id, Optional<MessageTrace> envelope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", id.encode());
        m.put("MessageID", d.messageId);
        m.put("Read", f != null && f.contains(SystemFlag.SEEN));
        m.put("From", address(d.from));
        m.put("To", addresses(d.to));
        m.put("Cc", addresses(d.cc));
        m.put("Bcc", bcc(d, envelope));
        m.put("ReplyTo", addresses(d.replyTo));
        m.put("Subject", d.subject);
        m.put("Created", time(d.internalDate));
        envelope.flatMap(t -> t.envelope().authenticatedUser()).ifPresent(u -> m.put("Username", u));
        m.put("Tags", Tags.of(f));
        m.put("Size", d.size);
        m.put("Attachments", d.attachments);
        m.put("Snippet", d.snippet);
        m.put("Mailbox", id.mailbox().name().toString());
        m.put("Account", id.mailbox().account().toString());
        m.put("Flagged", f != null && f.contains(SystemFlag.FLAGGED));
        m.put("Answered", f != null && f.contains(SystemFlag.ANSWERED));
        return m;
    }

    static List<Object> bcc(Digest d, Optional<MessageTrace> envelope) {
        List<Object> out = addresses(d.bcc);
        if (envelope.isPresent()) {
            for (MailAddress rcpt : envelope.get().envelope().recipients()) {
                String a = rcpt.toString();
                if (!named(d.to, a) && !named(d.cc, a) && !named(d.bcc, a)) {
                    out.add(address(new MessageReader.Address("", a)));
                }
            }
        }
        return out;
    }

    private static boolean named(List<MessageReader.Address> list, String address) {
        for (MessageReader.Address x : list) {
            if (x.address.equalsIgnoreCase(address)) {
                return true;
            }
        }
        return false;
    }

    /** A trace as JSON: the envelope, the transcript and the events. */
    static Map<String, Object> trace(MessageTrace t, boolean withTranscript) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("TransactionID", t.transactionId());
        m.put("Envelope", envelope(t));
        if (withTranscript) {
            m.put("Transcript", t.transcript());
        }
        List<Object> events = new ArrayList<>();
        for (MessageTrace.Event e : t.events()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("Time", time(e.time()));
            ev.put("Kind", e.kind());
            ev.put("Subject", e.subject());
            ev.put("Detail", e.detail());
            events.add(ev);
        }
        m.put("Events", events);
        return m;
    }

    static Map<String, Object> envelope(MessageTrace t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("MailFrom", t.envelope().reversePathString());
        List<Object> rcpts = new ArrayList<>();
        for (MailAddress a : t.envelope().recipients()) {
            rcpts.add(a.toString());
        }
        m.put("RcptTo", rcpts);
        m.put("Client", t.envelope().clientAddress().map(a -> a.getAddress().getHostAddress()).orElse(""));
        m.put("Helo", t.envelope().heloName().orElse(""));
        m.put("AuthenticatedUser", t.envelope().authenticatedUser().orElse(""));
        m.put("Tls", t.envelope().tls().map(x -> x.protocol() + " " + x.cipherSuite()).orElse(""));
        m.put("Protocol", t.envelope().protocol());
        m.put("Received", time(t.envelope().receivedAt()));
        return m;
    }
}
