package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.relay.TlsPolicyResult;

import java.net.InetSocketAddress;
import java.util.List;

/** What one delivery attempt did for one recipient. Immutable. */
public final class Outcome {
    /** The three ways an attempt ends for a recipient. */
    public enum Kind { DELIVERED, DEFERRED, BOUNCED }

    public final MailAddress recipient;
    public final Kind kind;
    /** The remote reply that decided it, or null (connection failure, DNS answer...). */
    public final Reply reply;
    /** The enhanced status code (RFC 3463). */
    public final String status;
    /** One line for logs, events and the DSN. */
    public final String detail;
    public final String remoteHost;
    public final InetSocketAddress remoteAddress;
    public final TlsInfo tls;
    /**
     * Whether the recipient's DSN request (RFC 3461 NOTIFY) went on to a server that offers DSN, which then reports
     * itself: no "relayed" notification is due from here.
     */
    public final boolean dsnPassedOn;
    /** What the destination's MTA-STS policy or DANE records made of the attempt, or null. */
    public final TlsPolicyResult tlsPolicy;

    public Outcome(MailAddress recipient, Kind kind, Reply reply, String status, String detail, String remoteHost,
                   InetSocketAddress remoteAddress, TlsInfo tls) {
        this(recipient, kind, reply, status, detail, remoteHost, remoteAddress, tls, false, null);
    }

    private Outcome(MailAddress recipient, Kind kind, Reply reply, String status, String detail, String remoteHost,
                    InetSocketAddress remoteAddress, TlsInfo tls, boolean dsnPassedOn, TlsPolicyResult tlsPolicy) {
        this.dsnPassedOn = dsnPassedOn;
        this.tlsPolicy = tlsPolicy;
        this.recipient = recipient;
        this.kind = kind;
        this.reply = reply;
        this.status = status;
        this.detail = detail;
        this.remoteHost = remoteHost;
        this.remoteAddress = remoteAddress;
        this.tls = tls;
    }

    /** The same outcome for another recipient. */
    public Outcome forRecipient(MailAddress r) {
        return new Outcome(r, kind, reply, status, detail, remoteHost, remoteAddress, tls, dsnPassedOn, tlsPolicy);
    }

    /** The same outcome, marked as having passed the DSN request on to a server that offers DSN. */
    public Outcome withDsnPassedOn() {
        return new Outcome(recipient, kind, reply, status, detail, remoteHost, remoteAddress, tls, true, tlsPolicy);
    }

    /** The same outcome with what the destination's TLS policy made of the attempt (null: none applied). */
    public Outcome withTlsPolicy(TlsPolicyResult p) {
        return p == null ? this : new Outcome(recipient, kind, reply, status, detail, remoteHost, remoteAddress, tls,
                dsnPassedOn, p);
    }

    /** The reply lines, or none. */
    public List<String> replyLines() {
        return reply == null ? List.of() : reply.lines;
    }

    /** The text for "last reply" and the DSN's Diagnostic-Code: the reply on one line, or the detail. */
    public String diagnostic() {
        return reply != null ? reply.oneLine() : detail;
    }

    @Override
    public String toString() {
        return recipient + " " + kind + " " + status + " " + detail;
    }
}
