package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.Dsn;
import dev.mailkit.smtp.internal.PathParser;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * MAIL FROM (RFC 5321 4.1.1.2) with the parameters this server advertises: SIZE (RFC 1870), BODY=7BIT/8BITMIME
 * (RFC 6152), SMTPUTF8 (RFC 6531), AUTH (RFC 4954, accepted and ignored) and, with a relay queue to send
 * notifications, RET and ENVID (DSN, RFC 3461). Unknown parameters are refused with
 * {@code 555 5.5.4}. On submission ports the client must have authenticated. With a free-space check configured, a
 * file system without room for a new message (and one and a half times its announced SIZE) gets {@code 452 4.3.1}.
 */
public final class MailCommand extends MailkitCommand {
    public MailCommand(SmtpListener listener) {
        super(listener, "MAIL", "Start a mail transaction: MAIL FROM:<address> [parameters]");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        SmtpConfig c = listener.config();
        if (!st.greeted()) {
            st.reply(EhloCommand.notGreeted());
            return;
        }
        if (c.requireTls && st.tls().isEmpty()) {
            st.reply(530, "5.7.0", "Must issue a STARTTLS command first");
            return;
        }
        if (st.role().requiresAuth() && !c.optionalAuth && st.authenticatedUser().isEmpty()) {
            if (listener.tlsAvailable(st) && c.requireTlsForLogin) {
                st.reply(530, "5.7.0", "Must issue a STARTTLS command first");
            } else {
                st.reply(530, "5.7.0", "Authentication required");
            }
            return;
        }
        if (st.inTransaction()) {
            st.reply(503, "5.5.1", "Nested MAIL command (send RSET to start over)");
            return;
        }
        PathParser.Parsed p = PathParser.parse(args, "FROM", "5.1.7");
        if (p.error != null) {
            st.reply(p.error);
            return;
        }
        boolean utf8 = false;
        long announced = -1;
        for (Map.Entry<String, String> e : p.parameters.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "SIZE":
                    long size;
                    try {
                        size = v.isEmpty() ? -1 : Long.parseLong(v);
                    } catch (NumberFormatException ex) {
                        size = -1;
                    }
                    if (size < 0) {
                        st.reply(501, "5.5.4", "SIZE needs a number of octets");
                        return;
                    }
                    if (size > c.maxMessageSize) {
                        st.reply(552, "5.3.4", "Message size exceeds fixed limit of " + c.maxMessageSize + " octets");
                        return;
                    }
                    announced = size;
                    break;
                case "BODY":
                    if (!v.equalsIgnoreCase("7BIT") && !v.equalsIgnoreCase("8BITMIME")) {
                        st.reply(555, "5.5.4", "BODY=" + v + " is not supported (7BIT or 8BITMIME)");
                        return;
                    }
                    break;
                case "SMTPUTF8":
                    if (!v.isEmpty()) {
                        st.reply(501, "5.5.4", "SMTPUTF8 takes no value");
                        return;
                    }
                    utf8 = true;
                    break;
                case "AUTH":
                    break; // RFC 4954 5: accepted; the authenticated identity is what counts
                case "RET":
                    if (!c.offersDsn()) {
                        st.reply(555, "5.5.4", "Unsupported parameter RET");
                        return;
                    }
                    if (!Dsn.validRet(v.toUpperCase(java.util.Locale.ROOT))) {
                        st.reply(501, "5.5.4", "RET must be FULL or HDRS");
                        return;
                    }
                    break;
                case "ENVID":
                    if (!c.offersDsn()) {
                        st.reply(555, "5.5.4", "Unsupported parameter ENVID");
                        return;
                    }
                    if (!Dsn.validEnvid(v)) {
                        st.reply(501, "5.5.4", "ENVID must be 1 to " + Dsn.MAX_ENVID + " characters of xtext");
                        return;
                    }
                    break;
                default:
                    st.reply(555, "5.5.4", "Unsupported parameter " + e.getKey());
                    return;
            }
        }
        if (p.address != null && p.address.isSmtpUtf8() && !utf8) {
            st.reply(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");
            return;
        }
        if (c.freeSpace != null && !c.freeSpace.hasRoomFor(announced)) {
            st.reply(452, "4.3.1", "Insufficient system storage");
            return;
        }
        Optional<MailAddress> from = Optional.ofNullable(p.address);
        FilterVerdict v = SmtpListener.safely(st, () -> c.filter.onMailFrom(st, from, p.parameters));
        if (!v.isAccept()) {
            st.refuse(v);
            return;
        }
        Envelope.Builder b = Envelope.builder()
                .reversePath(p.address)
                .mailParameters(p.parameters)
                .clientAddress(st.clientAddress())
                .heloName(st.heloName().orElse(null))
                .authenticatedUser(st.authenticatedUser().orElse(null))
                .tls(st.tls().orElse(null))
                .sessionId(st.sessionId());
        st.startTransaction(b, utf8);
        st.reply(250, "2.1.0", "Sender " + (p.address == null ? "<>" : "<" + p.address + ">") + " OK");
    }
}
