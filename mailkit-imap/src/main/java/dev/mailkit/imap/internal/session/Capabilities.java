package dev.mailkit.imap.internal.session;

/** The CAPABILITY lists, which depend on the session's state and on TLS. */
final class Capabilities {
    private static final String COMMON = "IMAP4rev1 IMAP4rev2 SASL-IR ID ENABLE IDLE LITERAL+";

    private Capabilities() {
    }

    /** Before login: STARTTLS while TLS can still start; LOGINDISABLED while login must wait for TLS. */
    static String beforeLogin(SessionConfig config, boolean tlsActive, boolean canStartTls) {
        StringBuilder sb = new StringBuilder(COMMON);
        if (canStartTls) {
            sb.append(" STARTTLS");
        }
        if (config.requireTlsForLogin() && !tlsActive) {
            sb.append(" LOGINDISABLED");
        } else {
            sb.append(" AUTH=PLAIN");
        }
        return sb.toString();
    }

    /**
     * After login: the extensions the server implements. {@code metadata}: whether the store keeps metadata (RFC 5464:
     * METADATA, which covers the server entries of METADATA-SERVER too); {@code notify}: whether it reports account
     * changes (RFC 5465 NOTIFY needs MailboxName and SubscriptionChange).
     */
    static String afterLogin(SessionConfig config, boolean metadata, boolean notify) {
        return COMMON + " NAMESPACE UNSELECT CHILDREN UIDPLUS MOVE SPECIAL-USE LIST-EXTENDED LIST-STATUS"
                + " QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE APPENDLIMIT=" + config.appendLimit()
                + " ESEARCH CONDSTORE QRESYNC WITHIN UTF8=ACCEPT SORT SORT=DISPLAY ESORT BINARY MULTIAPPEND STATUS=SIZE"
                + " CREATE-SPECIAL-USE SEARCHRES CONTEXT=SEARCH CONTEXT=SORT COMPRESS=DEFLATE"
                + " THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS PREVIEW SAVEDATE OBJECTID"
                + " CATENATE URL-PARTIAL"
                + (metadata ? " METADATA" : "") + (notify ? " NOTIFY" : "");
    }
}
