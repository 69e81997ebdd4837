package dev.mailkit.test;

/**
 * The ports of a {@link MailKit} server a Jakarta Mail client can be pointed at, by protocol: see
 * {@link MailKit#clientSession(ClientProtocol)} and {@link MailKit#clientProperties(ClientProtocol)}.
 */
public enum ClientProtocol {
    /** SMTP on {@link MailKit#smtpPort()}, with STARTTLS when the server has TLS. */
    SMTP("smtp"),
    /** SMTP with implicit TLS on {@link MailKit#smtpsPort()}. */
    SMTPS("smtps"),
    /** IMAP on {@link MailKit#imapPort()}, with STARTTLS when the server has TLS. */
    IMAP("imap"),
    /** IMAP with implicit TLS on {@link MailKit#imapsPort()}. */
    IMAPS("imaps"),
    /** POP3 on {@link MailKit#pop3Port()}, with STLS when the server has TLS. */
    POP3("pop3"),
    /** POP3 with implicit TLS on {@link MailKit#pop3sPort()}. */
    POP3S("pop3s");

    private final String jakartaName;

    ClientProtocol(String jakartaName) {
        this.jakartaName = jakartaName;
    }

    /** The protocol name Jakarta Mail knows it by ({@code smtps}, {@code imap}, ...). */
    public String jakartaName() {
        return jakartaName;
    }

    /** Whether the port speaks TLS from the start (SMTPS, IMAPS, POP3S). */
    public boolean implicitTls() {
        return this == SMTPS || this == IMAPS || this == POP3S;
    }

    /** The port of this protocol on the server. */
    int port(MailKit server) {
        return switch (this) {
            case SMTP -> server.smtpPort();
            case SMTPS -> server.smtpsPort();
            case IMAP -> server.imapPort();
            case IMAPS -> server.imapsPort();
            case POP3 -> server.pop3Port();
            case POP3S -> server.pop3sPort();
        };
    }
}
