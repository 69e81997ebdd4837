package dev.mailkit.relay.spi;

import dev.mailkit.core.MailAddress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The envelope of a queued message as a {@link QueueStorage} keeps it: queue id, creation time, reverse-path, the MAIL
 * parameters the relay keeps (BODY, SMTPUTF8, RET, ENVID), the forward-paths with their DSN parameters (NOTIFY,
 * ORCPT), where it came from (the receiving transaction's id, or {@code api}) and whether it is itself a DSN.
 * Recipients are numbered by their position here: {@link StateChange#index()} refers to it. Immutable.
 */
public final class QueuedMessage {
    private final String id;
    private final Instant created;
    private final MailAddress reversePath;
    private final Map<String, String> mailParameters;
    private final List<MailAddress> recipients;
    private final List<Map<String, String>> recipientParameters;
    private final String origin;
    private final boolean notification;

    /**
     * @param reversePath         null for the null reverse-path {@code <>}
     * @param recipientParameters per recipient, same order; null or missing entries mean none
     */
    public QueuedMessage(String id, Instant created, MailAddress reversePath, Map<String, String> mailParameters,
                         List<MailAddress> recipients, List<Map<String, String>> recipientParameters, String origin,
                         boolean notification) {
        this.id = Objects.requireNonNull(id, "id");
        this.created = Objects.requireNonNull(created, "created");
        this.reversePath = reversePath;
        this.mailParameters = Map.copyOf(mailParameters);
        this.recipients = List.copyOf(recipients);
        List<Map<String, String>> rp = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            rp.add(recipientParameters == null || i >= recipientParameters.size()
                    || recipientParameters.get(i) == null ? Map.of() : Map.copyOf(recipientParameters.get(i)));
        }
        this.recipientParameters = List.copyOf(rp);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.notification = notification;
    }

    public String id() {
        return id;
    }

    public Instant created() {
        return created;
    }

    /** The reverse-path, or null for {@code <>}. */
    public MailAddress reversePath() {
        return reversePath;
    }

    public Map<String, String> mailParameters() {
        return mailParameters;
    }

    public List<MailAddress> recipients() {
        return recipients;
    }

    /** Per recipient, in the order of {@link #recipients()}: its DSN parameters. */
    public List<Map<String, String>> recipientParameters() {
        return recipientParameters;
    }

    public String origin() {
        return origin;
    }

    /** Whether the message is a delivery status notification the relay made. */
    public boolean notification() {
        return notification;
    }

    @Override
    public String toString() {
        return "QueuedMessage{" + id + ", " + recipients.size() + " recipient(s)}";
    }
}
