package dev.mailkit.spring;

import java.time.Duration;

/** The IMAP server ({@code mailkit.imap.*}): the mailbox store over IMAP4rev1 and IMAP4rev2, STARTTLS and IMAPS. */
public class ImapProperties extends MailboxServerProperties {
    /** The IMAP defaults: 30 minutes of silence allowed (RFC 3501's autologout timer is at least 30 minutes). */
    public ImapProperties() {
        setIdleTimeout(Duration.ofMinutes(30));
    }
}
