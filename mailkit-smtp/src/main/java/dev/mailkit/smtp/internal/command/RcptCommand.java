package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.Dsn;
import dev.mailkit.smtp.internal.PathParser;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RCPT TO (RFC 5321 4.1.1.3). A recipient is accepted only in a local domain, and only if the recipient policy, the
 * sink and the filters accept it. Nothing in an address is interpreted as routing ({@code user%ext@local},
 * {@code "user@ext"@local} and {@code ext!user@local} are local parts like any other), address literals are never
 * local, and remote recipients get {@code 554 5.7.1} unless a relay is configured and the client may use it
 * (authenticated on a submission port, or in a trusted network): see {@link SmtpConfig#mayRelay}. With a relay
 * queue, the DSN parameters NOTIFY and ORCPT (RFC 3461) are accepted and kept with the recipient; any other
 * parameter gets {@code 555 5.5.4}.
 */
public final class RcptCommand extends MailkitCommand {
    public RcptCommand(SmtpListener listener) {
        super(listener, "RCPT", "Name a recipient: RCPT TO:<address> [parameters]");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        SmtpConfig c = listener.config();
        if (!st.inTransaction()) {
            st.reply(503, "5.5.1", "Send MAIL first");
            return;
        }
        if (st.chunkWriter() != null) {
            st.reply(503, "5.5.1", "RCPT after BDAT is not allowed");
            return;
        }
        PathParser.Parsed p = PathParser.parse(args, "TO", "5.1.3");
        if (p.error != null) {
            st.reply(p.error);
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.parameters.entrySet()) {
            String v = e.getValue();
            if (!c.offersDsn() || !(e.getKey().equals("NOTIFY") || e.getKey().equals("ORCPT"))) {
                st.reply(555, "5.5.4", "Unsupported parameter " + e.getKey());
                return;
            }
            if (e.getKey().equals("NOTIFY")) {
                String notify = Dsn.normalizeNotify(v);
                if (notify == null) {
                    st.reply(501, "5.5.4", "NOTIFY must be NEVER, or SUCCESS, FAILURE and DELAY separated by commas");
                    return;
                }
                params.put("NOTIFY", notify);
            } else {
                if (!Dsn.validOrcpt(v)) {
                    st.reply(501, "5.5.4", "ORCPT must be addr-type;xtext, at most " + Dsn.MAX_ORCPT + " characters");
                    return;
                }
                params.put("ORCPT", v);
            }
        }
        MailAddress rcpt = p.postmaster ? MailAddress.of("postmaster", c.primaryDomain()) : p.address;
        if (rcpt == null) {
            st.reply(501, "5.1.3", "The null path is not a valid recipient");
            return;
        }
        if (st.transaction().hasRecipient(rcpt)) {
            st.reply(250, "2.1.5", "Recipient <" + rcpt + "> OK (already listed)");
            return;
        }
        if (st.transaction().recipientCount() >= c.maxRecipients) {
            st.reply(452, "4.5.3", "Too many recipients (at most " + c.maxRecipients + " per message)");
            return;
        }
        if (rcpt.isSmtpUtf8() && !st.smtpUtf8()) {
            st.reply(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter on MAIL");
            return;
        }
        if (!c.isLocal(rcpt)) {
            if (!c.mayRelay(st)) {
                st.reply(554, "5.7.1", "<" + rcpt + ">: Relay access denied");
                return;
            }
            // a remote recipient of a client allowed to relay: for the relay queue, not for the local policy or sink
            FilterVerdict v = SmtpListener.safely(st, () -> c.filter.onRcptTo(st, rcpt, params));
            if (!v.isAccept()) {
                st.reply(v.reply().orElseThrow());
                return;
            }
            st.transaction().recipient(rcpt, params);
            st.reply(250, "2.1.5", "Recipient <" + rcpt + "> OK (relayed)");
            return;
        }
        if (c.recipientPolicy != null) {
            Optional<SmtpReply> refusal;
            try {
                refusal = c.recipientPolicy.check(st, rcpt);
            } catch (RuntimeException e) {
                refusal = Optional.of(SmtpReply.of(451, "4.3.0", "Temporary local problem, try again later"));
            }
            if (refusal.isPresent()) {
                st.reply(refusal.get());
                return;
            }
        }
        Optional<SmtpReply> sinkRefusal;
        try {
            sinkRefusal = c.sink.checkRecipient(st.transaction().build(), rcpt);
        } catch (RuntimeException e) {
            sinkRefusal = Optional.of(SmtpReply.of(451, "4.3.0", "Temporary local problem, try again later"));
        }
        if (sinkRefusal.isPresent()) {
            st.reply(sinkRefusal.get());
            return;
        }
        FilterVerdict v = SmtpListener.safely(st, () -> c.filter.onRcptTo(st, rcpt, params));
        if (!v.isAccept()) {
            st.refuse(v);
            return;
        }
        st.transaction().recipient(rcpt, params);
        st.reply(250, "2.1.5", "Recipient <" + rcpt + "> OK");
    }
}
