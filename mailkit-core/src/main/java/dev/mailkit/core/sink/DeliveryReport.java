package dev.mailkit.core.sink;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.SmtpReply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link MessageSink} did with each recipient of a message: every recipient not named as failed was
 * delivered (stored durably). A failure carries the reply that explains it (4xx: the client may retry; 5xx: it must
 * not). Immutable.
 */
public final class DeliveryReport {
    private static final DeliveryReport ALL_DELIVERED = new DeliveryReport(Map.of(), "");

    private final Map<MailAddress, SmtpReply> failures;
    private final String queueId;

    private DeliveryReport(Map<MailAddress, SmtpReply> failures, String queueId) {
        this.failures = failures;
        this.queueId = queueId;
    }

    /** Every recipient was delivered. */
    public static DeliveryReport allDelivered() {
        return ALL_DELIVERED;
    }

    /** Every recipient was delivered, under the given id (shown in the {@code 250} reply). */
    public static DeliveryReport allDelivered(String queueId) {
        return new DeliveryReport(Map.of(), Objects.requireNonNull(queueId, "queueId"));
    }

    /** A builder for a report with failures. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether every recipient was delivered. */
    public boolean isAllDelivered() {
        return failures.isEmpty();
    }

    /** The failed recipients with their replies, in the order they were recorded. */
    public Map<MailAddress, SmtpReply> failures() {
        return failures;
    }

    /** An id the sink gave the stored message (may be empty). */
    public String queueId() {
        return queueId;
    }

    @Override
    public String toString() {
        return failures.isEmpty() ? "all delivered" : "failed " + failures;
    }

    /** Builds a {@link DeliveryReport}. Not thread-safe. */
    public static final class Builder {
        private final LinkedHashMap<MailAddress, SmtpReply> failures = new LinkedHashMap<>();
        private String queueId = "";

        private Builder() {
        }

        /** Records a failed recipient. */
        public Builder failed(MailAddress recipient, SmtpReply reply) {
            if (reply.isPositive()) {
                throw new IllegalArgumentException("a failure needs a 4xx or 5xx reply, was " + reply);
            }
            failures.put(Objects.requireNonNull(recipient, "recipient"), reply);
            return this;
        }

        /** Sets the id of the stored message. */
        public Builder queueId(String id) {
            this.queueId = Objects.requireNonNull(id, "id");
            return this;
        }

        /** Builds the report. */
        public DeliveryReport build() {
            return new DeliveryReport(Collections.unmodifiableMap(new LinkedHashMap<>(failures)), queueId);
        }
    }
}
