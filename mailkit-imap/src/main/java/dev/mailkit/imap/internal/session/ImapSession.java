package dev.mailkit.imap.internal.session;

import dev.mailkit.core.auth.MailUser;
import dev.mailkit.core.server.Connection;
import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.encode.ImapWriter;
import dev.mailkit.imap.internal.encode.Responses;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxChanges;
import dev.mailkit.imap.internal.exec.Handlers;
import dev.mailkit.imap.internal.protocol.CommandParser;
import dev.mailkit.imap.internal.protocol.CommandReader;
import dev.mailkit.imap.internal.protocol.ParseException;
import dev.mailkit.imap.internal.protocol.StorageRefusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One IMAP connection: reads commands with the {@link CommandParser}, checks them against the connection state,
 * runs them with their {@link CommandHandler} and writes the responses through one buffered {@link ImapWriter}.
 * Pipelined commands are answered together: output is flushed only when no further command is waiting in the
 * input buffer. Anything the parser refuses is answered with a tagged BAD or NO and the session goes on; only a
 * literal too large to skip, a failed TLS handshake, too many failed logins or the client's silence end it.
 *
 * <p>Used by its connection's thread; the write lock lets another thread (IDLE notification) write between
 * commands.
 */
public final class ImapSession {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

    private final SessionConfig config;
    private final Connection connection;
    private final ImapWriter out;
    private final CommandReader reader;
    private final CommandParser parser;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final SessionUpdates updates;
    private final Set<String> enabled = new HashSet<>();
    private SessionState state = SessionState.NOT_AUTHENTICATED;
    private MailUser user;
    private MailAccount account;
    private SelectedMailbox selected;
    private Compression compression;
    private boolean condstore;
    private boolean qresync;
    private boolean rev2;
    private int authFailures;

    /** A session over a connection (not yet running). */
    public ImapSession(SessionConfig config, IdleNotifier notifier, Connection connection) {
        this.config = config;
        this.updates = new SessionUpdates(this, notifier);
        this.connection = connection;
        this.out = new ImapWriter(connection.output());
        this.reader = new CommandReader(connection.input(), this::sendContinuation);
        this.parser = new CommandParser(reader, config.spool(), config.appendLimit());
        applyLimits();
    }

    private void applyLimits() {
        boolean loggedIn = user != null;
        int line = loggedIn ? config.maxLineLength() : config.maxLineBeforeLogin();
        long literal = loggedIn ? config.maxLiteral() : config.maxLiteralBeforeLogin();
        long command = loggedIn ? config.maxCommandSize() : Math.max(2L * line, 2 * literal + line);
        long drain = loggedIn ? Math.max(config.maxCommandSize(), config.appendLimit()) : literal;
        reader.setLimits(line, literal, command, drain);
        parser.tokens().setMaxDepth(config.maxNestingDepth());
    }

    private void sendContinuation() throws IOException {
        writeLock.lock();
        try {
            out.ascii("+ OK").crlf();
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs the session until LOGOUT, the end of the input, or a fatal error. */
    public void run() throws IOException {
        try {
            writeLock.lock();
            try {
                out.ascii("* OK [CAPABILITY ").ascii(capabilities()).ascii("] ").text(config.hostName())
                        .ascii(" IMAP4rev1 ready").crlf();
                out.flush();
            } finally {
                writeLock.unlock();
            }
            while (state != SessionState.LOGOUT) {
                Command c;
                try {
                    c = parser.next(name -> CommandStates.check(state, rev2, name));
                } catch (ParseException e) {
                    if (!refuse(e)) {
                        return;
                    }
                    continue;
                }
                if (c == null) {
                    return; // the client closed the connection
                }
                if (c instanceof CommandParser.Empty) {
                    continue;
                }
                execute(c);
            }
        } catch (SocketTimeoutException e) {
            bye("Autologout; idle for too long");
        } finally {
            closeSelected();
            setNotify(null, false);
            endCompression();
        }
    }

    private void execute(Command c) throws IOException {
        writeLock.lock();
        try {
            CommandHandler<Command> h = Handlers.forCommand(c, account != null);
            try {
                h.handle(c, this);
            } catch (MailStoreException e) {
                StoreErrors.reply(this, c, e);
            } catch (IOException e) {
                if (!StorageRefusal.isStorageCondition(e)) {
                    throw e; // the connection
                }
                LOG.warn("{}: {} failed: {}", connection.id(), c.name(), e.toString());
                StoreErrors.storage(this, c, e);
            } catch (RuntimeException e) {
                if (StorageRefusal.isStorageCondition(e)) {
                    LOG.warn("{}: {} failed: {}", connection.id(), c.name(), e.toString());
                    StoreErrors.storage(this, c, e);
                } else {
                    LOG.warn("{}: {} failed", connection.id(), c.name(), e);
                    out.tagged(c.tag(), "NO", "SERVERBUG", c.name() + " failed: internal server error");
                }
            }
            flushUnlessPipelined();
        } finally {
            writeLock.unlock();
            if (c instanceof AppendCommand a) {
                a.close();
            }
        }
    }

    /** Answers a refused command; false if the connection must be closed. */
    private boolean refuse(ParseException e) throws IOException {
        writeLock.lock();
        try {
            String tag = e.tag() == null ? "*" : e.tag();
            String status = tag.equals("*") ? "BAD" : e.kind().name();
            out.tagged(tag, status, e.code(), e.getMessage());
            if (e.isFatal()) {
                bye("Closing connection");
                return false;
            }
            out.flush();
            if (!reader.skipCommand()) {
                bye("Literal too large to skip; closing connection");
                return false;
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    private void bye(String text) {
        try {
            out.ascii("* BYE ").text(text).crlf();
            out.flush();
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    /** Flushes unless the client has already sent further commands (their responses then go out together). */
    public void flushUnlessPipelined() throws IOException {
        Compression z = compression;
        if ((z == null ? connection.input() : z.input()).buffered() == 0) {
            out.flush();
        }
    }

    /** Whether COMPRESS=DEFLATE is active (RFC 4978). */
    public boolean compressed() {
        return compression != null;
    }

    /** Starts COMPRESS=DEFLATE after its OK (which goes out plain); the caller holds the write lock. */
    public void startCompression() throws IOException {
        out.flush();
        compression = new Compression(connection.output(), connection.input());
        out.setOutput(compression.output());
        reader.setInput(compression.input());
    }

    private void endCompression() {
        writeLock.lock(); // an IDLE update may be writing
        try {
            if (compression != null) {
                compression.end();
            }
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- for handlers

    /** The writer (the caller holds the write lock: handlers always do). */
    public ImapWriter out() {
        return out;
    }

    /** The settings. */
    public SessionConfig config() {
        return config;
    }

    /** The connection. */
    public Connection connection() {
        return connection;
    }

    /** The command reader (for the lines IDLE and AUTHENTICATE read). */
    public CommandReader reader() {
        return reader;
    }

    /** The write lock, held by the session thread while it runs a command. */
    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** The state. */
    public SessionState state() {
        return state;
    }

    /** Changes the state. */
    public void setState(SessionState s) {
        this.state = s;
    }

    /** The logged-in user, or null. */
    public MailUser user() {
        return user;
    }

    /** The client's IP address. */
    public InetAddress clientAddress() {
        return connection.remoteAddress().getAddress();
    }

    /** The current CAPABILITY list. */
    public String capabilities() {
        if (user != null) {
            return Capabilities.afterLogin(config, account != null && account.metadata().isPresent(),
                    account != null && account.changes().isPresent());
        }
        return Capabilities.beforeLogin(config, connection.isTls(), config.tlsAvailable() && !connection.isTls());
    }

    /** Whether LOGIN/AUTHENTICATE must be refused because TLS is required and not active. */
    public boolean loginDisabled() {
        return config.requireTlsForLogin() && !connection.isTls();
    }

    /** Records a successful login: state, limits, timeouts, the user's mailboxes. */
    public void loggedIn(MailUser u) throws IOException {
        this.user = u;
        if (config.store() != null) {
            this.account = config.store().account(u);
        }
        this.state = SessionState.AUTHENTICATED;
        config.penalty().recordSuccess(clientAddress());
        connection.setReadTimeout(config.idleTimeout());
        applyLimits();
    }

    /**
     * Records a failed login: waits the growing delay, then tells the caller whether the connection may go on (false
     * after too many failures).
     */
    public boolean loginFailed() throws IOException {
        Duration delay = config.penalty().recordFailure(clientAddress());
        if (!delay.isZero()) {
            out.flush();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted during the failed-login delay");
            }
        }
        return ++authFailures < config.maxAuthFailures();
    }

    /** Upgrades the connection to TLS after the OK was written; buffered plaintext is thrown away. */
    public void startTls() throws IOException {
        out.flush();
        int discarded = connection.startTls();
        if (discarded > 0) {
            LOG.debug("{}: discarded {} bytes sent before the TLS handshake", connection.id(), discarded);
        }
        out.setOutput(connection.output());
        reader.setInput(connection.input());
    }

    /** The extensions the client enabled (ENABLE), upper case. */
    public Set<String> enabled() {
        return Collections.unmodifiableSet(enabled);
    }

    /** Marks an extension as enabled. */
    public void enable(String capability) throws IOException {
        enabled.add(capability);
        if (capability.equals("CONDSTORE")) {
            enableCondstore();
        } else if (capability.equals("QRESYNC")) {
            qresync = true; // RFC 7162 3.2.3: implies CONDSTORE
            enableCondstore();
        } else if (capability.equals("UTF8=ACCEPT") || capability.equals("IMAP4REV2")) {
            // RFC 6855 and RFC 9051 5.1: mailbox names in UTF-8 both ways, UTF-8 in quoted strings
            out.setUtf8(true);
            parser.setUtf8(true);
            if (capability.equals("IMAP4REV2")) {
                rev2 = true; // no \Recent, ESEARCH for SEARCH, ...: mailkit-imap/IMAP4rev2.md
                parser.tokens().setRev2(true);
            }
        }
    }

    /** Whether the client enabled IMAP4rev2 (RFC 9051): its responses follow RFC 9051, not RFC 3501. */
    public boolean rev2() {
        return rev2;
    }

    /** Ends the session after the current command. */
    public void logout() {
        state = SessionState.LOGOUT;
    }

    // ---------------------------------------------------------------------------------------- IDLE, NOTIFY

    /**
     * Enters or leaves IDLE. While idling, {@link #wake()} from any thread makes the notifier write the pending
     * mailbox updates.
     */
    public void setIdling(boolean on) {
        updates.setIdling(on);
    }

    /**
     * Called by a store's change listener on any thread: if the session is idling or has a NOTIFY watch, its pending
     * updates are written soon by the notifier (never on the caller's thread). Repeated wakes are merged.
     */
    public void wake() {
        updates.wake();
    }

    /**
     * Writes the untagged responses for what changed in the selected mailbox since the last report (EXISTS,
     * EXPUNGE, FETCH FLAGS); {@code expungesAllowed} is false after FETCH, STORE and SEARCH, where RFC 3501 forbids
     * EXPUNGE responses. The caller holds the write lock.
     */
    public void reportUpdates(boolean expungesAllowed) throws IOException {
        SelectedMailbox sel = selected;
        if (sel == null || !sel.view().hasPendingChanges()) {
            return;
        }
        MailboxChanges ch = expungesAllowed ? sel.view().sync() : sel.view().syncWithoutExpunges();
        if (ch.isEmpty()) {
            return;
        }
        writeExpunges(ch.expunged());
        if (ch.keywordsChanged()) {
            // FLAGS before the EXISTS and FETCH responses that may use the new keywords (as Dovecot)
            Mailbox m = sel.mailbox();
            Responses.flags(out, m.keywords());
            Responses.permanentFlags(out, m.keywords(), m.canCreateKeywords(), sel.readOnly());
        }
        if (ch.newMessages() > 0) {
            Responses.exists(out, ch.messageCount());
            if (!rev2) { // RFC 9051 has no \Recent and no RECENT response
                Responses.recent(out, ch.recentCount());
                sel.reportedRecent(ch.recentCount());
            }
            NotifyWatch n = updates.notifyWatch();
            if (n != null) {
                n.newMessages(this, ch.messageCount() - ch.newMessages() + 1, ch.messageCount());
            }
            if (qresync) {
                Responses.okCode(out, "HIGHESTMODSEQ", ch.highestModSeq(), "Highest"); // as Dovecot
            }
        } else {
            reportRecentIfChanged();
        }
        UpdateWriter.flagChanges(out, sel, ch.flagsChanged(), condstore);
        if (ch.mailboxDeleted()) {
            out.ascii("* BYE Selected mailbox was deleted, have to disconnect").crlf();
            logout();
        }
    }

    /**
     * Writes expunges the client is to hear of now: an EXPUNGE per message, or with QRESYNC enabled one VANISHED
     * with their UIDs (RFC 7162 3.2.10).
     */
    public void writeExpunges(dev.mailkit.store.Expunges e) throws IOException {
        if (e.isEmpty()) {
            return;
        }
        if (selected != null) {
            selected.searchUpdates().reportRemovals(this, e); // RFC 5267: in the numbers the client still has
        }
        UpdateWriter.expunges(out, e, qresync);
    }

    /**
     * Replaces the NOTIFY watch (null: NOTIFY NONE), closing the previous one; with {@code status}, writes the
     * watched mailboxes' STATUS (NOTIFY SET STATUS). The caller holds the write lock.
     */
    public void setNotify(NotifyWatch w, boolean status) throws IOException {
        updates.setNotify(w, status);
    }

    /** Whether QRESYNC is enabled (RFC 7162 3.2.3: by ENABLE only). */
    public boolean qresync() {
        return qresync;
    }

    /** After EXPUNGE responses: {@code * n RECENT} if the \Recent count changed (as Dovecot does). */
    public void reportRecentIfChanged() throws IOException {
        SelectedMailbox sel = selected;
        if (sel != null && !rev2) {
            int r = sel.view().recentCount();
            if (r != sel.reportedRecent()) {
                Responses.recent(out, r);
                sel.reportedRecent(r);
            }
        }
    }

    /**
     * Ends a command successfully: reports pending mailbox changes (EXPUNGEs only where RFC 3501 allows them), then
     * the tagged OK.
     */
    public void complete(Command c, String code, String text) throws IOException {
        reportUpdates(expungesAllowedAfter(c));
        if (state == SessionState.LOGOUT) {
            out.tagged(c.tag(), "NO", "UNAVAILABLE", "Mailbox was deleted");
            return;
        }
        reportSearchUpdates();
        out.tagged(c.tag(), "OK", code, text);
    }

    /** RFC 5267: ADDTO/REMOVEFROM for the searches kept up to date (the session's own changes included). */
    void reportSearchUpdates() throws IOException {
        SelectedMailbox sel = selected;
        if (sel != null && state == SessionState.SELECTED) {
            sel.searchUpdates().report(this);
        }
    }

    /** RFC 3501 7.4.1: no EXPUNGE responses while answering FETCH, STORE or SEARCH (UID variants may). */
    private static boolean expungesAllowedAfter(Command c) {
        String n = c.name();
        return !(n.equals("FETCH") || n.equals("STORE") || n.equals("SEARCH") || n.equals("SORT")
                || n.equals("THREAD"));
    }

    /** The logged-in user's mailboxes, or null when the server has no store. */
    public MailAccount account() {
        return account;
    }

    /** The selected mailbox, or null. */
    public SelectedMailbox selected() {
        return selected;
    }

    /** Selects a mailbox (the previous selection must have been closed); IDLE updates start flowing. */
    public void select(SelectedMailbox s) {
        this.selected = s;
        this.state = SessionState.SELECTED;
        if (rev2) {
            s.hideRecent();
        }
        s.view().setChangeListener(this::wake);
    }

    /** Leaves the selected state (without expunging). */
    public void deselect() {
        closeSelected();
        if (state == SessionState.SELECTED) {
            state = SessionState.AUTHENTICATED;
        }
    }

    /** Whether CONDSTORE is enabled for this session (RFC 7162 3.1: by ENABLE or an enabling command). */
    public boolean condstore() {
        return condstore;
    }

    /**
     * Enables CONDSTORE (after a CONDSTORE-enabling command); the first time, with a mailbox selected, announces
     * its HIGHESTMODSEQ (RFC 7162 3.1, as Dovecot).
     */
    public void enableCondstore() throws IOException {
        if (!condstore) {
            condstore = true;
            if (selected != null) {
                Responses.okCode(out, "HIGHESTMODSEQ", selected.view().highestModSeq(), "Highest");
            }
        }
    }

    private void closeSelected() {
        SelectedMailbox s = selected;
        selected = null;
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing the mailbox view failed: {}", connection.id(), e.toString());
            }
        }
    }
}
