package dev.mailkit.spring;

import java.time.Duration;

/** The POP3 server ({@code mailkit.pop3.*}): each user's INBOX as a maildrop, with STLS and POP3S. */
public class Pop3Properties extends MailboxServerProperties {
    /** Give the messages a session retrieved \Seen when it quits, as Dovecot does. */
    private boolean markSeen = true;

    /** The POP3 defaults: 10 minutes of silence allowed (RFC 1939's autologout timer). */
    public Pop3Properties() {
        setIdleTimeout(Duration.ofMinutes(10));
    }

    public boolean isMarkSeen() {
        return markSeen;
    }

    public void setMarkSeen(boolean markSeen) {
        this.markSeen = markSeen;
    }
}
