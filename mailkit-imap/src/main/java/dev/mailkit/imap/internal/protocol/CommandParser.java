package dev.mailkit.imap.internal.protocol;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.command.CapabilityCommand;
import dev.mailkit.imap.internal.command.CloseCommand;
import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.CopyCommand;
import dev.mailkit.imap.internal.command.CreateCommand;
import dev.mailkit.imap.internal.command.DeleteCommand;
import dev.mailkit.imap.internal.command.EnableCommand;
import dev.mailkit.imap.internal.command.ExpungeCommand;
import dev.mailkit.imap.internal.command.FetchCommand;
import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.command.IdCommand;
import dev.mailkit.imap.internal.command.IdleCommand;
import dev.mailkit.imap.internal.command.LoginCommand;
import dev.mailkit.imap.internal.command.LogoutCommand;
import dev.mailkit.imap.internal.command.NamespaceCommand;
import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.command.QuotaCommand;
import dev.mailkit.imap.internal.command.RenameCommand;
import dev.mailkit.imap.internal.command.SearchCommand;
import dev.mailkit.imap.internal.command.SearchOptions;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.CancelUpdateCommand;
import dev.mailkit.imap.internal.command.CompressCommand;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.command.StartTlsCommand;
import dev.mailkit.imap.internal.command.StatusCommand;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.command.StoreCommand;
import dev.mailkit.imap.internal.command.SubscribeCommand;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the client's bytes into {@link Command} objects, one command per call (RFC 3501 section 9 and the
 * extensions the server announces). Before it reads a command's arguments it asks the {@link Gate} whether the
 * command may run now, so that a command refused in this state never gets a continuation request for its literals.
 * Not thread-safe: one per session.
 */
public final class CommandParser {
    /** Decides whether a command may run in the session's current state. */
    @FunctionalInterface
    public interface Gate {
        /**
         * @param command the command name, upper case ({@code UID FETCH} for UID commands)
         * @throws ParseException (BAD or NO) if it may not run now
         */
        void check(String command) throws ParseException;
    }

    /** Every command this parser knows, for the "unknown command" check. */
    public static final Set<String> COMMANDS = Set.of("CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "LOGIN",
            "AUTHENTICATE", "SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST",
            "LSUB", "STATUS", "APPEND", "CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY",
            "MOVE", "UID", "IDLE", "ENABLE", "ID", "NAMESPACE", "GETQUOTA", "GETQUOTAROOT", "SETQUOTA", "SORT",
            "THREAD", "CANCELUPDATE", "COMPRESS", "GETMETADATA", "SETMETADATA", "NOTIFY");

    private static final List<String> UID_COMMANDS = List.of("FETCH", "SEARCH", "STORE", "COPY", "MOVE", "EXPUNGE",
            "SORT", "THREAD");

    private static final int MAX_APPEND_MESSAGES = 1000;

    private final CommandReader reader;
    private final ImapParser p;
    private final FetchParser fetch;
    private final SearchParser search;
    private final ListParser list;
    private final SortParser sort;
    private final MetadataParser metadata;
    private final CatenateParser catenate;
    private MessageSpool spool;
    private long appendLimit;

    /** A parser over the reader. */
    public CommandParser(CommandReader reader, MessageSpool spool, long appendLimit) {
        this.reader = reader;
        this.p = new ImapParser(reader);
        this.fetch = new FetchParser(p);
        this.search = new SearchParser(p);
        this.list = new ListParser(p);
        this.sort = new SortParser(p, search);
        this.metadata = new MetadataParser(p);
        this.catenate = new CatenateParser(p);
        this.spool = spool;
        this.appendLimit = appendLimit;
    }

    /** The token parser (for the nesting limit). */
    public ImapParser tokens() {
        return p;
    }

    /**
     * Reads and parses the next command.
     *
     * @return the command; null at the end of the input, or for an empty line (which is ignored)
     * @throws ParseException with the tag (when there was one) for a command that must be refused; the caller
     *                        replies, then calls {@link CommandReader#skipCommand()}
     */
    public Command next(Gate gate) throws ParseException, IOException {
        if (!reader.nextCommand()) {
            return null;
        }
        if (reader.atEndOfLine() && !reader.lineOverflowed()) {
            return new Empty();
        }
        p.reset();
        String tag;
        try {
            tag = p.tag();
            p.sp();
        } catch (ParseException e) {
            throw ParseException.bad(reader.lineOverflowed() ? "line too long" : "missing or invalid tag");
        }
        try {
            if (reader.lineOverflowed()) {
                throw ParseException.bad("TOOBIG", "command line longer than the limit");
            }
            String name = p.keyword();
            if (!COMMANDS.contains(name)) {
                throw ParseException.bad("unknown command " + abbreviate(name));
            }
            if (name.equals("UID")) {
                p.sp();
                String sub = p.keyword();
                if (!UID_COMMANDS.contains(sub)) {
                    throw ParseException.bad("unknown command UID " + abbreviate(sub));
                }
                gate.check("UID " + sub);
                return uid(tag, sub);
            }
            gate.check(name);
            return command(tag, name);
        } catch (ParseException e) {
            throw e.withTag(tag);
        }
    }

    /** An empty command line: ignored by the session. */
    public record Empty() implements Command {
        @Override
        public String tag() {
            return "*";
        }

        @Override
        public String name() {
            return "";
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }

    private Command command(String tag, String name) throws ParseException, IOException {
        switch (name) {
            case "CAPABILITY": p.end(); return new CapabilityCommand(tag);
            case "NOOP", "CHECK": p.end(); return new NoopCommand(tag, name);
            case "LOGOUT": p.end(); return new LogoutCommand(tag);
            case "STARTTLS": p.end(); return new StartTlsCommand(tag);
            case "LOGIN": return login(tag);
            case "AUTHENTICATE": return authenticate(tag);
            case "SELECT", "EXAMINE": return SelectParser.select(p, tag, name.equals("EXAMINE"));
            case "CREATE": return create(tag);
            case "DELETE": {
                p.sp();
                String m = p.mailbox();
                p.end();
                return new DeleteCommand(tag, m);
            }
            case "RENAME": {
                p.sp();
                String from = p.mailbox();
                p.sp();
                String to = p.mailbox();
                p.end();
                return new RenameCommand(tag, from, to);
            }
            case "SUBSCRIBE", "UNSUBSCRIBE": {
                p.sp();
                String m = p.mailbox();
                p.end();
                return new SubscribeCommand(tag, m, name.equals("SUBSCRIBE"));
            }
            case "LIST": return list.list(tag);
            case "LSUB": return list.lsub(tag);
            case "STATUS": {
                p.sp();
                String m = p.mailbox();
                p.sp();
                List<StatusItem> items = statusItems(p);
                p.end();
                return new StatusCommand(tag, m, items);
            }
            case "APPEND": return append(tag);
            case "CLOSE": p.end(); return new CloseCommand(tag, true);
            case "UNSELECT": p.end(); return new CloseCommand(tag, false);
            case "EXPUNGE": p.end(); return new ExpungeCommand(tag, null);
            case "SEARCH": return search(tag, false);
            case "SORT": return sort.sort(tag, false);
            case "THREAD": return sort.thread(tag, false);
            case "CANCELUPDATE": return cancelUpdate(tag);
            case "COMPRESS": {
                p.sp();
                String mechanism = p.keyword();
                p.end();
                return new CompressCommand(tag, mechanism);
            }
            case "FETCH": return fetch(tag, false);
            case "STORE": return store(tag, false);
            case "COPY", "MOVE": return copy(tag, false, name.equals("MOVE"));
            case "IDLE": p.end(); return new IdleCommand(tag);
            case "ENABLE": return enable(tag);
            case "ID": return id(tag);
            case "NAMESPACE": p.end(); return new NamespaceCommand(tag);
            case "GETQUOTA": {
                p.sp();
                String root = p.astring();
                p.end();
                return new QuotaCommand(tag, QuotaCommand.Kind.GETQUOTA, root, Map.of());
            }
            case "GETQUOTAROOT": {
                p.sp();
                String m = p.mailbox();
                p.end();
                return new QuotaCommand(tag, QuotaCommand.Kind.GETQUOTAROOT, m, Map.of());
            }
            case "SETQUOTA": return setQuota(tag);
            case "GETMETADATA": return metadata.get(tag);
            case "SETMETADATA": return metadata.set(tag);
            case "NOTIFY": return NotifyParser.notify(p, tag);
            default: throw ParseException.bad("unknown command " + name);
        }
    }

    private Command uid(String tag, String sub) throws ParseException, IOException {
        switch (sub) {
            case "FETCH": return fetch(tag, true);
            case "SEARCH": return search(tag, true);
            case "SORT": return sort.sort(tag, true);
            case "THREAD": return sort.thread(tag, true);
            case "STORE": return store(tag, true);
            case "COPY": return copy(tag, true, false);
            case "MOVE": return copy(tag, true, true);
            case "EXPUNGE": {
                p.sp();
                SequenceSet set = p.sequenceSet();
                p.end();
                return new ExpungeCommand(tag, set);
            }
            default: throw ParseException.bad("unknown command UID " + sub);
        }
    }

    private Command login(String tag) throws ParseException, IOException {
        p.sp();
        String user = p.astring();
        p.sp();
        String password = p.astring();
        p.end();
        return new LoginCommand(tag, user, password);
    }

    private Command authenticate(String tag) throws ParseException, IOException {
        p.sp();
        String mechanism = p.atom().toUpperCase(Locale.ROOT);
        String initial = null;
        if (p.trySp()) {
            initial = p.atom();
            if (initial.equals("=")) {
                initial = "";
            }
        }
        p.end();
        return new AuthenticateCommand(tag, mechanism, initial);
    }

    private Command create(String tag) throws ParseException, IOException {
        p.sp();
        String m = p.mailbox();
        List<String> use = new ArrayList<>();
        if (p.trySp()) {
            p.expect('(');
            if (!p.tryWord("USE")) {
                throw ParseException.bad("unknown CREATE parameter: only USE is supported");
            }
            p.sp();
            p.expect('(');
            if (!p.tryChar(')')) { // RFC 6154: the list may be empty
                do {
                    p.expect('\\');
                    use.add("\\" + p.atom());
                } while (p.trySp());
                p.expect(')');
            }
            p.expect(')');
        }
        p.end();
        return new CreateCommand(tag, m, use);
    }

    static List<StatusItem> statusItems(ImapParser p) throws ParseException {
        p.expect('(');
        Set<StatusItem> items = EnumSet.noneOf(StatusItem.class);
        do {
            String s = p.keyword();
            if (p.rev2() && s.equals("RECENT")) {
                throw ParseException.bad("STATUS RECENT is not part of IMAP4rev2 (RFC 9051 has no \\Recent)");
            }
            try {
                items.add(StatusItem.valueOf(s));
            } catch (IllegalArgumentException e) {
                throw ParseException.bad("unknown STATUS item " + s);
            }
        } while (p.trySp());
        p.expect(')');
        return new ArrayList<>(items);
    }

    private Command append(String tag) throws ParseException, IOException {
        p.sp();
        String mailbox = p.mailbox();
        List<AppendCommand.Message> messages = new ArrayList<>();
        try {
            do {
                p.sp();
                MessageFlags flags = MessageFlags.NONE;
                OffsetDateTime date = null;
                if (p.peek() == '(') {
                    flags = p.flagList();
                    p.sp();
                }
                if (p.peek() == '"') {
                    date = p.dateTime();
                    p.sp();
                }
                if (messages.size() == MAX_APPEND_MESSAGES) {
                    throw ParseException.no("LIMIT", "at most " + MAX_APPEND_MESSAGES + " messages per APPEND");
                }
                if (catenate.atCatenate()) {
                    messages.add(catenate.message(flags, date, spool, appendLimit));
                } else if (p.peek() == 'U' || p.peek() == 'u') {
                    messages.add(new AppendCommand.Message(flags, date, utf8AppendData()));
                } else if (p.tryChar('~')) {
                    // BINARY (RFC 3516): a literal8, stored as it is
                    messages.add(new AppendCommand.Message(flags, date, p.messageLiteral(spool, appendLimit)));
                } else {
                    messages.add(new AppendCommand.Message(flags, date, p.messageLiteral(spool, appendLimit)));
                }
            } while (!p.atEnd());
            return new AppendCommand(tag, mailbox, messages);
        } catch (ParseException | IOException | RuntimeException e) {
            for (AppendCommand.Message m : messages) {
                m.close();
            }
            throw e;
        }
    }

    /** RFC 6855 4: {@code UTF8 (~{n}...)}, a message with UTF-8 header fields, once UTF8=ACCEPT is enabled. */
    private MessageSource utf8AppendData() throws ParseException, IOException {
        if (!p.tryWord("UTF8")) {
            throw ParseException.bad("expected a message literal");
        }
        if (!p.utf8()) {
            throw ParseException.bad("APPEND's UTF8 data item needs ENABLE UTF8=ACCEPT first (RFC 6855)");
        }
        p.sp();
        p.expect('(');
        p.expect('~'); // literal8
        MessageSource m = p.messageLiteral(spool, appendLimit);
        try {
            p.expect(')');
        } catch (ParseException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Whether the session enabled UTF8=ACCEPT. */
    public void setUtf8(boolean on) {
        p.setUtf8(on);
    }

    private Command search(String tag, boolean uid) throws ParseException, IOException {
        SearchOptions options = null;
        String charset = null;
        p.sp();
        if (p.tryWord("RETURN")) {
            p.sp();
            options = ReturnParser.parse(p);
            p.sp();
        }
        if (p.tryWord("CHARSET")) {
            p.sp();
            charset = p.astring().toUpperCase(Locale.ROOT);
            if (!SearchCommand.isSupportedCharset(charset) && (options == null
                    || !options.returns().contains(SearchReturn.SAVE))) {
                throw ParseException.no("BADCHARSET (UTF-8 US-ASCII)", "unsupported charset " + charset);
            } // with SAVE the handler refuses it, emptying $ (RFC 5182 2.1: a NO empties it, a BAD keeps it)
            p.sp();
        }
        List<SearchKey> keys = new ArrayList<>();
        keys.add(search.key());
        while (!p.atEnd()) {
            p.sp();
            keys.add(search.key());
        }
        SearchKey key = keys.size() == 1 ? keys.get(0) : new SearchKey.And(keys);
        return new SearchCommand(tag, uid, options == null ? null : options.returns(),
                options == null ? null : options.partial(), charset, key);
    }

    /** CANCELUPDATE SP tag-string *(SP tag-string) (RFC 5267 4.3). */
    private Command cancelUpdate(String tag) throws ParseException, IOException {
        List<String> tags = new ArrayList<>();
        do {
            p.sp();
            tags.add(p.string());
        } while (!p.atEnd());
        return new CancelUpdateCommand(tag, tags);
    }

    private Command fetch(String tag, boolean uid) throws ParseException, IOException {
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        FetchRequest request = fetch.request();
        long changedSince = -1;
        boolean vanished = false;
        if (p.trySp()) {
            p.expect('(');
            do {
                String m = p.keyword();
                if (m.equals("CHANGEDSINCE")) {
                    p.sp();
                    changedSince = p.modSequence();
                } else if (m.equals("VANISHED")) {
                    vanished = true;
                } else {
                    throw ParseException.bad("unknown FETCH modifier " + m);
                }
            } while (p.trySp());
            p.expect(')');
        }
        p.end();
        if (vanished && (!uid || changedSince < 0)) {
            // RFC 7162 3.2.6: only UID FETCH, and only with CHANGEDSINCE
            throw ParseException.bad("VANISHED needs UID FETCH with CHANGEDSINCE");
        }
        return new FetchCommand(tag, uid, set, request, changedSince, vanished);
    }

    private Command store(String tag, boolean uid) throws ParseException, IOException {
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        long unchangedSince = -1;
        if (p.tryChar('(')) {
            String m = p.keyword();
            if (!m.equals("UNCHANGEDSINCE")) {
                throw ParseException.bad("unknown STORE modifier " + m);
            }
            p.sp();
            unchangedSince = p.modSequence();
            p.expect(')');
            p.sp();
        }
        StoreCommand.Action action = StoreCommand.Action.REPLACE;
        if (p.tryChar('+')) {
            action = StoreCommand.Action.ADD;
        } else if (p.tryChar('-')) {
            action = StoreCommand.Action.REMOVE;
        }
        String item = p.word();
        boolean silent;
        if (item.equals("FLAGS")) {
            silent = false;
        } else if (item.equals("FLAGS.SILENT")) {
            silent = true;
        } else {
            throw ParseException.bad("unknown STORE item " + item + ": expected FLAGS, +FLAGS or -FLAGS");
        }
        p.sp();
        MessageFlags flags = p.storeFlags();
        p.end();
        return new StoreCommand(tag, uid, set, unchangedSince, action, silent, flags);
    }

    private Command copy(String tag, boolean uid, boolean move) throws ParseException, IOException {
        p.sp();
        SequenceSet set = p.sequenceSet();
        p.sp();
        String m = p.mailbox();
        p.end();
        return new CopyCommand(tag, uid, set, m, move);
    }

    private Command enable(String tag) throws ParseException {
        List<String> caps = new ArrayList<>();
        do {
            p.sp();
            caps.add(p.atom().toUpperCase(Locale.ROOT));
        } while (!p.atEnd());
        return new EnableCommand(tag, caps);
    }

    private Command id(String tag) throws ParseException, IOException {
        p.sp();
        Map<String, String> params = new LinkedHashMap<>();
        if (!p.tryWord("NIL")) {
            p.expect('(');
            if (!p.tryChar(')')) {
                do {
                    String key = p.string();
                    p.sp();
                    String value = p.nstring();
                    if (params.size() >= 30) {
                        throw ParseException.bad("ID takes at most 30 field-value pairs");
                    }
                    params.put(key, value);
                } while (p.trySp());
                p.expect(')');
            }
        }
        p.end();
        return new IdCommand(tag, Collections.unmodifiableMap(params));
    }

    private Command setQuota(String tag) throws ParseException, IOException {
        p.sp();
        String root = p.astring();
        p.sp();
        p.expect('(');
        Map<String, Long> limits = new LinkedHashMap<>();
        if (!p.tryChar(')')) {
            do {
                String resource = p.keyword();
                p.sp();
                limits.put(resource, p.modSequence());
            } while (p.trySp());
            p.expect(')');
        }
        p.end();
        return new QuotaCommand(tag, QuotaCommand.Kind.SETQUOTA, root, limits);
    }

    /** Sets the APPEND size limit (bytes). */
    public void setAppendLimit(long appendLimit) {
        this.appendLimit = appendLimit;
    }

    /** Sets the spool for APPEND messages. */
    public void setSpool(MessageSpool spool) {
        this.spool = spool;
    }
}
