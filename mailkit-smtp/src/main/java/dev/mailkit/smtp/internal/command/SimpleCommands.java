package dev.mailkit.smtp.internal.command;

import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;

/** RSET, NOOP, QUIT, HELP, VRFY and EXPN: commands with a line or two of logic each. */
public final class SimpleCommands {
    private SimpleCommands() {
    }

    @FunctionalInterface
    interface Body {
        void run(String args, SessionState st, SmtpListener l) throws IOException;
    }

    private static MailkitCommand of(SmtpListener listener, String verb, String help, Body body) {
        return new MailkitCommand(listener, verb, help) {
            @Override
            protected void run(String args, SessionState st) throws IOException {
                body.run(args, st, listener);
            }
        };
    }

    public static MailkitCommand rset(SmtpListener l) {
        return of(l, "RSET", "Abort the current transaction", (args, st, x) -> {
            if (!args.isBlank()) {
                st.reply(501, "5.5.4", "RSET takes no arguments");
                return;
            }
            st.resetTransaction();
            st.reply(250, "2.0.0", "OK");
        });
    }

    public static MailkitCommand noop(SmtpListener l) {
        return of(l, "NOOP", "Do nothing", (args, st, x) -> st.reply(250, "2.0.0", "OK"));
    }

    public static MailkitCommand quit(SmtpListener l) {
        return of(l, "QUIT", "Close the connection", (args, st, x) -> {
            st.resetTransaction();
            st.reply(221, "2.0.0", x.config().hostName + " closing connection");
            st.releaseConnectionSlot(); // before the close, so a client that reconnects at once is not refused
            st.session().quit();
        });
    }

    public static MailkitCommand help(SmtpListener l) {
        return of(l, "HELP", "Show help", (args, st, x) -> st.reply(214, "2.0.0",
                "mailkit: see RFC 5321; commands EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT STARTTLS AUTH"));
    }

    /** VRFY never confirms or denies a user (RFC 5321 3.5.3): it would let anyone enumerate mailboxes. */
    public static MailkitCommand vrfy(SmtpListener l) {
        return of(l, "VRFY", "Verify an address", (args, st, x) -> {
            if (args.isBlank()) {
                st.reply(501, "5.5.4", "Syntax: VRFY address");
                return;
            }
            st.reply(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
        });
    }

    public static MailkitCommand expn(SmtpListener l) {
        return of(l, "EXPN", "Expand a mailing list", (args, st, x) ->
                st.reply(502, "5.5.1", "EXPN is not available"));
    }
}
