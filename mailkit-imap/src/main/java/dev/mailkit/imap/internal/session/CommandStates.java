package dev.mailkit.imap.internal.session;

import dev.mailkit.imap.internal.protocol.ParseException;

/**
 * Which commands may run in which connection state (RFC 3501 3, RFC 9051 3), checked by the parser before it reads
 * a command's arguments. With IMAP4rev2 enabled, CHECK is refused: RFC 9051 removed it (Appendix E; NOOP does what
 * it did). Stateless.
 */
final class CommandStates {
    private CommandStates() {
    }

    /** Refuses {@code name} (a command name, {@code UID X} for UID commands) with BAD if it may not run now. */
    static void check(SessionState state, boolean rev2, String name) throws ParseException {
        switch (name) {
            case "CAPABILITY", "NOOP", "LOGOUT", "ID":
                return;
            case "STARTTLS", "LOGIN", "AUTHENTICATE":
                if (state != SessionState.NOT_AUTHENTICATED) {
                    throw ParseException.bad(name.equals("STARTTLS") ? "STARTTLS is only allowed before login"
                            : "Already logged in");
                }
                return;
            case "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE", "SORT",
                 "THREAD", "CANCELUPDATE",
                 "UID FETCH", "UID SEARCH", "UID STORE", "UID COPY", "UID MOVE", "UID EXPUNGE", "UID SORT",
                 "UID THREAD":
                if (state == SessionState.NOT_AUTHENTICATED) {
                    throw ParseException.bad("Please log in first");
                }
                if (rev2 && name.equals("CHECK")) {
                    throw ParseException.bad("CHECK is not part of IMAP4rev2 (RFC 9051 removed it): use NOOP");
                }
                if (state != SessionState.SELECTED) {
                    throw ParseException.bad("No mailbox selected");
                }
                return;
            default:
                if (state == SessionState.NOT_AUTHENTICATED) {
                    throw ParseException.bad("Please log in first");
                }
        }
    }
}
