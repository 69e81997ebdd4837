package dev.mailkit.smtp.internal.command;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpConfig;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * EHLO and HELO (RFC 5321 4.1.1.1). The name must be a domain or an address literal: anything with spaces, control
 * characters or other odd bytes is refused, because it would otherwise end up in the {@code Received:} header.
 * EHLO advertises exactly what this server implements.
 */
public final class EhloCommand extends MailkitCommand {
    private final boolean ehlo;

    public EhloCommand(SmtpListener listener, String verb) {
        super(listener, verb, verb.equals("EHLO") ? "Introduce yourself and ask for extensions" : "Introduce yourself");
        this.ehlo = verb.equals("EHLO");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        String name = args.strip();
        if (name.isEmpty()) {
            st.reply(501, "5.5.4", "Syntax: " + (ehlo ? "EHLO" : "HELO") + " hostname");
            return;
        }
        if (!validName(name)) {
            st.reply(501, "5.5.2", "Invalid host name: use a domain or an address literal such as [192.0.2.1]");
            return;
        }
        st.resetTransaction();
        FilterVerdict v = SmtpListener.safely(st, () -> listener.config().filter.onHelo(st, name));
        if (!v.isAccept()) {
            st.refuse(v);
            return;
        }
        st.hello(name, ehlo);
        SmtpConfig c = listener.config();
        String first = c.hostName + " Hello " + name;
        if (!ehlo) {
            st.replyRaw("250 " + first);
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(first);
        lines.add("PIPELINING");
        lines.add("SIZE " + c.maxMessageSize);
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("ENHANCEDSTATUSCODES");
        lines.add("CHUNKING");
        if (c.offersDsn()) {
            lines.add("DSN");
        }
        if (listener.tlsAvailable(st)) {
            lines.add("STARTTLS");
        }
        if (listener.authAvailable(st) && !st.authenticatedUser().isPresent()) {
            lines.add("AUTH PLAIN LOGIN");
        }
        // EHLO replies carry no enhanced status codes (RFC 2034 section 3)
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append("\r\n");
            }
            sb.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i));
        }
        st.replyRaw(sb.toString());
    }

    /** A domain name (letters, digits, '-', '.', '_') or an address literal, at most 255 characters. */
    static boolean validName(String s) {
        if (s.length() > 255) {
            return false;
        }
        if (s.startsWith("[")) {
            if (!s.endsWith("]") || s.length() < 3) {
                return false;
            }
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == 'I' || c == 'P' || c == 'v')) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static SmtpReply notGreeted() {
        return SmtpReply.of(503, "5.5.1", "Send EHLO or HELO first");
    }
}
