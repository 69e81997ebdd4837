package dev.mailkit.smtp.internal.command;

import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;

/**
 * RSET, NOOP, QUIT, HELP, VRFY and EXPN: commands with a line or two of logic each, in one class (plain code rather
 * than a lambda per command keeps a server's first start in a fresh JVM short).
 */
public final class SimpleCommands extends MailkitCommand {
    private enum Verb { RSET, NOOP, QUIT, HELP, VRFY, EXPN }

    private final Verb verb;

    private SimpleCommands(SmtpListener listener, Verb verb, String help) {
        super(listener, verb.name(), help);
        this.verb = verb;
    }

    public static MailkitCommand rset(SmtpListener l) {
        return new SimpleCommands(l, Verb.RSET, "Abort the current transaction");
    }

    public static MailkitCommand noop(SmtpListener l) {
        return new SimpleCommands(l, Verb.NOOP, "Do nothing");
    }

    public static MailkitCommand quit(SmtpListener l) {
        return new SimpleCommands(l, Verb.QUIT, "Close the connection");
    }

    public static MailkitCommand help(SmtpListener l) {
        return new SimpleCommands(l, Verb.HELP, "Show help");
    }

    /** VRFY never confirms or denies a user (RFC 5321 3.5.3): it would let anyone enumerate mailboxes. */
    public static MailkitCommand vrfy(SmtpListener l) {
        return new SimpleCommands(l, Verb.VRFY, "Verify an address");
    }

    public static MailkitCommand expn(SmtpListener l) {
        return new SimpleCommands(l, Verb.EXPN, "Expand a mailing list");
    }

    @Override
    protected void run(String args, SessionState st) throws IOException {
        switch (verb) {
            case RSET:
                if (!args.isBlank()) {
                    st.reply(501, "5.5.4", "RSET takes no arguments");
                    return;
                }
                st.resetTransaction();
                st.reply(250, "2.0.0", "OK");
                return;
            case NOOP:
                st.reply(250, "2.0.0", "OK");
                return;
            case QUIT:
                st.resetTransaction();
                st.reply(221, "2.0.0", listener.config().hostName + " closing connection");
                st.releaseConnectionSlot(); // before the close, so a client that reconnects at once is not refused
                st.closeConnection();
                return;
            case HELP:
                st.reply(214, "2.0.0",
                        "mailkit: see RFC 5321; commands EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT STARTTLS AUTH");
                return;
            case VRFY:
                if (args.isBlank()) {
                    st.reply(501, "5.5.4", "Syntax: VRFY address");
                    return;
                }
                st.reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
                return;
            case EXPN:
                st.reply(502, "5.5.1", "EXPN is not available");
                return;
            default:
                throw new IllegalStateException(verb.name());
        }
    }
}
