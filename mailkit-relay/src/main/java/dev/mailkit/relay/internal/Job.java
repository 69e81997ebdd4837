package dev.mailkit.relay.internal;

import dev.mailkit.core.MailAddress;

import java.util.ArrayList;
import java.util.List;

/** Some recipients of one message, for one destination: what one SMTP transaction carries. Immutable. */
public final class Job {
    public final StoredMessage message;
    public final String destination;
    final int[] indexes;

    Job(StoredMessage message, String destination, int[] indexes) {
        this.message = message;
        this.destination = destination;
        this.indexes = indexes;
    }

    public List<MailAddress> recipients() {
        List<MailAddress> out = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            out.add(message.recipients.get(i));
        }
        return out;
    }

    @Override
    public String toString() {
        return message.id + "->" + destination + recipients();
    }
}
