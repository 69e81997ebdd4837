package dev.mailkit.examples;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.auth.UserDirectory;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.sink.DeliveryReport;
import dev.mailkit.core.sink.MessageSink;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What a reload swaps while the servers run, each behind the SPI the servers were built with: the users, the delivery
 * agent (aliases, catch-alls) and the SMTP filters. A swap never touches a connection: the next login, the next
 * message, the next session sees the new one. The filters are pinned per session, so that a session under way ends
 * with the filters it began with (a filter keeps per-session state from its connect step).
 */
final class Switchable {
    private Switchable() {
    }

    /** A user directory that can be replaced. */
    static final class Users implements UserDirectory {
        private final AtomicReference<UserDirectory> current;

        Users(UserDirectory initial) {
            current = new AtomicReference<>(initial);
        }

        void set(UserDirectory next) {
            current.set(next);
        }

        UserDirectory get() {
            return current.get();
        }

        @Override
        public Optional<MailUser> authenticate(String username, char[] password) {
            return current.get().authenticate(username, password);
        }

        @Override
        public Optional<MailUser> findByAddress(MailAddress address) {
            return current.get().findByAddress(address);
        }

        @Override
        public Optional<MailUser> findByUsername(String username) {
            return current.get().findByUsername(username);
        }
    }

    /** Several directories asked in order (the --user users, then the users file). */
    static final class Chain implements UserDirectory {
        private final List<UserDirectory> directories;

        Chain(List<UserDirectory> directories) {
            this.directories = List.copyOf(directories);
        }

        @Override
        public Optional<MailUser> authenticate(String username, char[] password) {
            for (UserDirectory d : directories) {
                if (d.findByUsername(username).isPresent()) {
                    return d.authenticate(username, password);
                }
            }
            // an unknown user: the last directory pays the dummy verification, as for any unknown user
            return directories.isEmpty() ? Optional.empty()
                    : directories.get(directories.size() - 1).authenticate(username, password);
        }

        @Override
        public Optional<MailUser> findByAddress(MailAddress address) {
            for (UserDirectory d : directories) {
                Optional<MailUser> u = d.findByAddress(address);
                if (u.isPresent()) {
                    return u;
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<MailUser> findByUsername(String username) {
            for (UserDirectory d : directories) {
                Optional<MailUser> u = d.findByUsername(username);
                if (u.isPresent()) {
                    return u;
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A message sink that can be replaced (the delivery agent, after aliases or catch-alls changed); every sink set is
     * first wrapped by the given wrapper (the trace, which must see the delivery agent itself to name mailboxes).
     */
    static final class Sink implements MessageSink {
        private final AtomicReference<MessageSink> current;
        private final UnaryOperator<MessageSink> wrapper;

        Sink(MessageSink initial, UnaryOperator<MessageSink> wrapper) {
            this.wrapper = wrapper;
            current = new AtomicReference<>(wrapper.apply(initial));
        }

        void set(MessageSink next) {
            current.set(wrapper.apply(next));
        }

        @Override
        public DeliveryReport deliver(Envelope envelope, MessageSource message) throws IOException {
            return current.get().deliver(envelope, message);
        }

        @Override
        public Optional<SmtpReply> checkRecipient(Envelope transaction, MailAddress recipient) {
            return current.get().checkRecipient(transaction, recipient);
        }
    }

    /** The SMTP filters, replaceable; a session keeps the filters it connected with until it ends. */
    static final class Filters implements MailFilter {
        private final AtomicReference<MailFilter> current;
        private final Map<String, MailFilter> sessions = new ConcurrentHashMap<>();

        Filters(MailFilter initial) {
            current = new AtomicReference<>(initial);
        }

        void set(MailFilter next) {
            current.set(next);
        }

        private MailFilter of(SessionInfo s) {
            MailFilter f = sessions.get(s.sessionId());
            return f != null ? f : current.get();
        }

        @Override
        public FilterVerdict onConnect(SessionInfo session) {
            MailFilter f = current.get();
            sessions.put(session.sessionId(), f);
            return f.onConnect(session);
        }

        @Override
        public FilterVerdict onHelo(SessionInfo session, String heloName) {
            return of(session).onHelo(session, heloName);
        }

        @Override
        public FilterVerdict onMailFrom(SessionInfo session, Optional<MailAddress> reversePath,
                                        Map<String, String> parameters) {
            return of(session).onMailFrom(session, reversePath, parameters);
        }

        @Override
        public FilterVerdict onRcptTo(SessionInfo session, MailAddress recipient, Map<String, String> parameters) {
            return of(session).onRcptTo(session, recipient, parameters);
        }

        @Override
        public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
            return of(session).onData(session, envelope, message);
        }

        @Override
        public void onDisconnect(SessionInfo session) {
            MailFilter f = sessions.remove(session.sessionId());
            (f != null ? f : current.get()).onDisconnect(session);
        }
    }
}
