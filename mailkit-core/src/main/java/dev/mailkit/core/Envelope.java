package dev.mailkit.core;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SMTP envelope of one mail transaction: who sent it (the reverse-path, empty for the null reverse-path
 * {@code <>} that bounces use), every recipient it was accepted for (the forward-paths, BCC recipients included),
 * the ESMTP parameters of MAIL and RCPT, and what is known about the client: its address, its HELO/EHLO name, the
 * user it authenticated as and the TLS it negotiated.
 *
 * <p>Recipients are distinct and in the order the client gave them: a recipient named twice appears once.
 * Parameter names are upper case ({@code SIZE}, {@code BODY}, {@code SMTPUTF8}, {@code RET}, {@code ENVID},
 * {@code NOTIFY}, {@code ORCPT}); a parameter without a value maps to the empty string.
 *
 * <p>Immutable and thread-safe; build one with {@link #builder()}.
 */
public final class Envelope {
    private final MailAddress reversePath;
    private final List<MailAddress> recipients;
    private final Map<String, String> mailParameters;
    private final Map<MailAddress, Map<String, String>> recipientParameters;
    private final InetSocketAddress clientAddress;
    private final String heloName;
    private final String authenticatedUser;
    private final TlsInfo tls;
    private final Instant receivedAt;
    private final String sessionId;
    private final String transactionId;
    private final String protocol;

    private Envelope(Builder b) {
        this.reversePath = b.reversePath;
        this.recipients = List.copyOf(b.recipients.keySet());
        this.recipientParameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.recipients));
        this.mailParameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.mailParameters));
        this.clientAddress = b.clientAddress;
        this.heloName = b.heloName;
        this.authenticatedUser = b.authenticatedUser;
        this.tls = b.tls;
        this.receivedAt = b.receivedAt;
        this.sessionId = b.sessionId;
        this.transactionId = b.transactionId;
        this.protocol = b.protocol;
    }

    /** A builder with no recipients, the null reverse-path and the current time. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised from this envelope. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.reversePath = reversePath;
        b.recipients.putAll(recipientParameters);
        b.mailParameters.putAll(mailParameters);
        b.clientAddress = clientAddress;
        b.heloName = heloName;
        b.authenticatedUser = authenticatedUser;
        b.tls = tls;
        b.receivedAt = receivedAt;
        b.sessionId = sessionId;
        b.transactionId = transactionId;
        b.protocol = protocol;
        return b;
    }

    /** The reverse-path (MAIL FROM), or empty for the null reverse-path {@code <>}. */
    public Optional<MailAddress> reversePath() {
        return Optional.ofNullable(reversePath);
    }

    /** Whether MAIL FROM was the null reverse-path {@code <>} (a bounce or other auto-reply). */
    public boolean isNullReversePath() {
        return reversePath == null;
    }

    /** The reverse-path as SMTP writes it: {@code <>} or {@code <user@example.com>}. */
    public String reversePathString() {
        return reversePath == null ? "<>" : "<" + reversePath + ">";
    }

    /** Every accepted recipient (forward-path), distinct, in the order given. */
    public List<MailAddress> recipients() {
        return recipients;
    }

    /** The ESMTP parameters of MAIL FROM, keys upper case. */
    public Map<String, String> mailParameters() {
        return mailParameters;
    }

    /** The value of one MAIL parameter (case-insensitive name), if it was given. */
    public Optional<String> mailParameter(String name) {
        return Optional.ofNullable(mailParameters.get(name.toUpperCase(Locale.ROOT)));
    }

    /** The ESMTP parameters of the RCPT command that named this recipient (empty if none or unknown). */
    public Map<String, String> recipientParameters(MailAddress recipient) {
        Map<String, String> p = recipientParameters.get(recipient);
        return p == null ? Map.of() : p;
    }

    /** The client's address and port, if the envelope came from a network session. */
    public Optional<InetSocketAddress> clientAddress() {
        return Optional.ofNullable(clientAddress);
    }

    /** The name the client gave in HELO or EHLO, if any. */
    public Optional<String> heloName() {
        return Optional.ofNullable(heloName);
    }

    /** The user name the client authenticated as with AUTH, if any. */
    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authenticatedUser);
    }

    /** The TLS the session negotiated, if any. */
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    /** When the server accepted the message (the end of DATA), or when the envelope was built. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** The id of the SMTP session, for logs (empty string when not from a session). */
    public String sessionId() {
        return sessionId;
    }

    /** The id of this transaction, as named in the {@code 250} reply and the {@code Received:} header. */
    public String transactionId() {
        return transactionId;
    }

    /**
     * The RFC 3848 "with" protocol name: {@code SMTP}, {@code ESMTP}, {@code ESMTPS} (TLS), {@code ESMTPA} (AUTH)
     * or {@code ESMTPSA} (both); {@code LOCAL} when submitted through an API.
     */
    public String protocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "Envelope{from=" + reversePathString() + ", to=" + recipients + (mailParameters.isEmpty() ? ""
                : ", params=" + mailParameters) + (clientAddress == null ? "" : ", client=" + clientAddress)
                + (heloName == null ? "" : ", helo=" + heloName)
                + (authenticatedUser == null ? "" : ", auth=" + authenticatedUser)
                + (tls == null ? "" : ", tls=" + tls) + ", id=" + transactionId + "}";
    }

    /** Builds an {@link Envelope}. Not thread-safe. */
    public static final class Builder {
        private MailAddress reversePath;
        private final LinkedHashMap<MailAddress, Map<String, String>> recipients = new LinkedHashMap<>();
        private final LinkedHashMap<String, String> mailParameters = new LinkedHashMap<>();
        private InetSocketAddress clientAddress;
        private String heloName;
        private String authenticatedUser;
        private TlsInfo tls;
        private Instant receivedAt = Instant.now();
        private String sessionId = "";
        private String transactionId = "";
        private String protocol = "LOCAL";

        private Builder() {
        }

        /** Sets the reverse-path; {@code null} means the null reverse-path {@code <>}. */
        public Builder reversePath(MailAddress reversePath) {
            this.reversePath = reversePath;
            return this;
        }

        /** Parses and sets the reverse-path; an empty string or {@code <>} means the null reverse-path. */
        public Builder reversePath(String reversePath) {
            String s = reversePath.trim();
            this.reversePath = s.isEmpty() || s.equals("<>") ? null : MailAddress.parse(s);
            return this;
        }

        /** Adds a recipient without parameters; a recipient already present is not added twice. */
        public Builder recipient(MailAddress recipient) {
            return recipient(recipient, Map.of());
        }

        /** Parses and adds a recipient. */
        public Builder recipient(String recipient) {
            return recipient(MailAddress.parse(recipient));
        }

        /** Adds a recipient with its RCPT parameters; a recipient already present keeps its first parameters. */
        public Builder recipient(MailAddress recipient, Map<String, String> parameters) {
            Objects.requireNonNull(recipient, "recipient");
            recipients.putIfAbsent(recipient, upperCaseKeys(parameters));
            return this;
        }

        /** Adds several recipients. */
        public Builder recipients(Iterable<MailAddress> all) {
            for (MailAddress a : all) {
                recipient(a);
            }
            return this;
        }

        /** Removes all recipients. */
        public Builder clearRecipients() {
            recipients.clear();
            return this;
        }

        /** The number of distinct recipients so far. */
        public int recipientCount() {
            return recipients.size();
        }

        /** Whether the recipient is already present. */
        public boolean hasRecipient(MailAddress recipient) {
            return recipients.containsKey(recipient);
        }

        /** Sets the MAIL parameters (replacing any set before). */
        public Builder mailParameters(Map<String, String> parameters) {
            mailParameters.clear();
            mailParameters.putAll(upperCaseKeys(parameters));
            return this;
        }

        /** Sets the client's address. */
        public Builder clientAddress(InetSocketAddress clientAddress) {
            this.clientAddress = clientAddress;
            return this;
        }

        /** Sets the HELO/EHLO name. */
        public Builder heloName(String heloName) {
            this.heloName = heloName;
            return this;
        }

        /** Sets the authenticated user name. */
        public Builder authenticatedUser(String authenticatedUser) {
            this.authenticatedUser = authenticatedUser;
            return this;
        }

        /** Sets the TLS details. */
        public Builder tls(TlsInfo tls) {
            this.tls = tls;
            return this;
        }

        /** Sets the time of receipt. */
        public Builder receivedAt(Instant receivedAt) {
            this.receivedAt = Objects.requireNonNull(receivedAt, "receivedAt");
            return this;
        }

        /** Sets the session id. */
        public Builder sessionId(String sessionId) {
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            return this;
        }

        /** Sets the transaction id. */
        public Builder transactionId(String transactionId) {
            this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
            return this;
        }

        /** Sets the RFC 3848 protocol name. */
        public Builder protocol(String protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /** Builds the envelope. */
        public Envelope build() {
            return new Envelope(this);
        }

        private static Map<String, String> upperCaseKeys(Map<String, String> in) {
            if (in.isEmpty()) {
                return Map.of();
            }
            LinkedHashMap<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : in.entrySet()) {
                out.put(e.getKey().toUpperCase(Locale.ROOT), e.getValue() == null ? "" : e.getValue());
            }
            return Collections.unmodifiableMap(out);
        }
    }

    /** Copies a list of recipients; convenience for sinks that split envelopes. */
    public Envelope withRecipients(List<MailAddress> subset) {
        Builder b = toBuilder().clearRecipients();
        for (MailAddress a : subset) {
            b.recipient(a, recipientParameters(a));
        }
        return b.build();
    }
}
