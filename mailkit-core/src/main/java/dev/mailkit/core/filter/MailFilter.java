package dev.mailkit.core.filter;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SPI for policy at each SMTP stage: a filter can accept, reject (5xx), fail temporarily (4xx) or, at DATA, add
 * header fields. Every method has an accepting default, so a filter implements only the stages it cares about.
 *
 * <p>Filters run in the order they were configured; the first that does not accept decides the reply, and header
 * fields from all accepting filters are added in order ({@link #chain}). A filter is called from many sessions at
 * once and must be thread-safe. A filter that throws fails the stage with {@code 451 4.3.0} (temporary), so a bug
 * never loses mail.
 */
public interface MailFilter {
    /** A client connected, before the greeting. */
    default FilterVerdict onConnect(SessionInfo session) {
        return FilterVerdict.accept();
    }

    /** HELO or EHLO with the given name. */
    default FilterVerdict onHelo(SessionInfo session, String heloName) {
        return FilterVerdict.accept();
    }

    /** MAIL FROM; the reverse-path is empty for the null reverse-path {@code <>}. */
    default FilterVerdict onMailFrom(SessionInfo session, Optional<MailAddress> reversePath,
                                     Map<String, String> parameters) {
        return FilterVerdict.accept();
    }

    /** RCPT TO, after the server's own recipient policy accepted the recipient. */
    default FilterVerdict onRcptTo(SessionInfo session, MailAddress recipient, Map<String, String> parameters) {
        return FilterVerdict.accept();
    }

    /**
     * The whole message has arrived (DATA or the last BDAT chunk). The source can be read any number of times; do not
     * keep it beyond the call. Besides accepting, refusing and adding header fields, the verdict may replace the
     * message, change the recipients or discard the message (see {@link FilterVerdict}).
     */
    default FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        return FilterVerdict.accept();
    }

    /**
     * The session has ended (the client quit or went away, or the server closed it). Called once for every session
     * whose {@link #onConnect} was called, so that a filter can release per-session state. Exceptions are ignored.
     */
    default void onDisconnect(SessionInfo session) {
    }

    /**
     * Composes filters in order: the first non-accepting verdict wins; accepted headers accumulate. At DATA a discard
     * ends the chain, and a filter that replaces the message or the recipients passes the new ones to the filters
     * after it.
     */
    static MailFilter chain(List<? extends MailFilter> filters) {
        List<MailFilter> copy = List.copyOf(filters);
        if (copy.size() == 1) {
            return copy.get(0);
        }
        return new MailFilter() {
            private FilterVerdict run(java.util.function.Function<MailFilter, FilterVerdict> stage) {
                List<HeaderField> headers = new ArrayList<>();
                for (MailFilter f : copy) {
                    FilterVerdict v = stage.apply(f);
                    if (!v.isAccept()) {
                        return v;
                    }
                    headers.addAll(v.headers());
                }
                FilterVerdict out = FilterVerdict.accept();
                for (HeaderField h : headers) {
                    out = out.withHeader(h.name(), h.value());
                }
                return out;
            }

            @Override
            public FilterVerdict onConnect(SessionInfo s) {
                return run(f -> f.onConnect(s));
            }

            @Override
            public FilterVerdict onHelo(SessionInfo s, String helo) {
                return run(f -> f.onHelo(s, helo));
            }

            @Override
            public FilterVerdict onMailFrom(SessionInfo s, Optional<MailAddress> from, Map<String, String> p) {
                return run(f -> f.onMailFrom(s, from, p));
            }

            @Override
            public FilterVerdict onRcptTo(SessionInfo s, MailAddress rcpt, Map<String, String> p) {
                return run(f -> f.onRcptTo(s, rcpt, p));
            }

            @Override
            public FilterVerdict onData(SessionInfo s, Envelope e, MessageSource m) {
                List<HeaderField> headers = new ArrayList<>();
                Envelope envelope = e;
                MessageSource message = m;
                MessageSource replaced = null;
                List<MailAddress> recipients = null;
                try {
                    for (MailFilter f : copy) {
                        FilterVerdict v = f.onData(s, envelope, message);
                        if (v == null) {
                            continue;
                        }
                        if (!v.isAccept() || v.isDiscard()) {
                            v.message().ifPresent(MessageSource::close);
                            return v;
                        }
                        headers.addAll(v.headers());
                        if (v.message().isPresent()) {
                            if (replaced != null) {
                                replaced.close();
                            }
                            replaced = v.message().get();
                            message = replaced;
                        }
                        if (v.recipients().isPresent()) {
                            recipients = v.recipients().get();
                            envelope = envelope.withRecipients(recipients);
                        }
                    }
                    FilterVerdict out = FilterVerdict.accept();
                    for (HeaderField h : headers) {
                        out = out.withHeader(h.name(), h.value());
                    }
                    if (replaced != null) {
                        out = out.withMessage(replaced);
                        replaced = null;
                    }
                    return recipients == null ? out : out.withRecipients(recipients);
                } finally {
                    if (replaced != null) {
                        replaced.close(); // a filter threw after an earlier one replaced the message
                    }
                }
            }

            @Override
            public void onDisconnect(SessionInfo s) {
                for (MailFilter f : copy) {
                    try {
                        f.onDisconnect(s);
                    } catch (RuntimeException ignored) {
                        // one filter's failure must not keep the others from cleaning up
                    }
                }
            }

            @Override
            public String toString() {
                return "MailFilter.chain" + copy;
            }
        };
    }
}
