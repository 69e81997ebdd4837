package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.FetchRequest;
import dev.mailkit.imap.internal.command.NotifyCommand;
import dev.mailkit.imap.internal.command.NotifyCommand.Event;
import dev.mailkit.imap.internal.command.NotifyCommand.EventGroup;
import dev.mailkit.imap.internal.command.NotifyCommand.Filter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * NOTIFY arguments (RFC 5465 8): {@code NONE}, or {@code SET [SP "STATUS"] 1*(SP event-group)}. Checks what
 * the grammar and section 5 say must be BAD: an unknown filter, a filter given twice, {@code MessageNew} without
 * {@code MessageExpunge} (or the reverse), {@code FlagChange} or {@code AnnotationChange} without both, more than
 * {@value #MAX_MAILBOXES} mailbox names in one command, FETCH attributes after MessageNew of a filter other than
 * SELECTED or SELECTED-DELAYED, or attributes that would set {@code \Seen}. An event name RFC 5465 does not define is not BAD but
 * {@code NO [BADEVENT (...)]} with the events the server supports (section 3.1), after the whole command was read.
 */
final class NotifyParser {
    /** More mailbox names than this in one command is abuse. */
    static final int MAX_MAILBOXES = 1000;

    private NotifyParser() {
    }

    /** After "NOTIFY". */
    static NotifyCommand notify(ImapParser p, String tag) throws ParseException, IOException {
        p.sp();
        if (p.tryWord("NONE")) {
            p.end();
            return new NotifyCommand(tag, true, false, List.of());
        }
        if (!p.tryWord("SET")) {
            throw ParseException.bad("NOTIFY takes NONE or SET");
        }
        p.sp();
        boolean status = false;
        if (p.tryWord("STATUS")) {
            p.sp();
            status = true;
        }
        List<EventGroup> groups = new ArrayList<>();
        Set<Filter> seen = EnumSet.noneOf(Filter.class);
        int[] names = {0};
        String unknown = null;
        do {
            p.expect('(');
            Filter f = filter(p.keyword());
            if (f == Filter.SELECTED_DELAYED ? seen.contains(Filter.SELECTED) || !seen.add(f)
                    : f == Filter.SELECTED ? seen.contains(Filter.SELECTED_DELAYED) || !seen.add(f)
                    : (f != Filter.SUBTREE && f != Filter.MAILBOXES) && !seen.add(f)) {
                throw ParseException.bad("filter " + f.name().replace('_', '-') + " given twice");
            }
            List<String> mailboxes = List.of();
            if (f == Filter.SUBTREE || f == Filter.MAILBOXES) {
                p.sp();
                mailboxes = mailboxes(p, names);
            }
            p.sp();
            Set<Event> events = EnumSet.noneOf(Event.class);
            FetchRequest fetch = null;
            if (!p.tryWord("NONE")) {
                p.expect('(');
                do {
                    String e = p.atom();
                    Event ev = event(e);
                    if (ev == null) {
                        unknown = unknown == null ? e : unknown;
                    } else {
                        events.add(ev);
                    }
                    if (ev == Event.MessageNew && p.peek() == ' ' && p.reader().peek(1) == '(') {
                        fetch = fetchAttributes(p, f);
                    }
                } while (p.trySp());
                p.expect(')');
                check(events);
            }
            p.expect(')');
            groups.add(new EventGroup(f, mailboxes, events, fetch));
        } while (p.trySp());
        p.end();
        if (unknown != null) {
            throw ParseException.no(NotifyCommand.badEventCode(), "Unknown event " + abbreviate(unknown));
        }
        return new NotifyCommand(tag, false, status, groups);
    }

    /** RFC 5465 5.1: SP "(" fetch-att *(SP fetch-att) ")" after MessageNew, for the selected mailbox only. */
    private static FetchRequest fetchAttributes(ImapParser p, Filter f) throws ParseException, IOException {
        if (f != Filter.SELECTED && f != Filter.SELECTED_DELAYED) {
            throw ParseException.bad("FETCH attributes of MessageNew are for SELECTED or SELECTED-DELAYED only");
        }
        p.sp();
        FetchRequest r = new FetchParser(p).request();
        if (r.setsSeen()) {
            throw ParseException.bad("MessageNew's FETCH attributes must not set \\Seen: use BODY.PEEK");
        }
        return r;
    }

    private static Filter filter(String k) throws ParseException {
        switch (k) {
            case "SELECTED": return Filter.SELECTED;
            case "SELECTED-DELAYED": return Filter.SELECTED_DELAYED;
            case "PERSONAL": return Filter.PERSONAL;
            case "INBOXES": return Filter.INBOXES;
            case "SUBSCRIBED": return Filter.SUBSCRIBED;
            case "SUBTREE": return Filter.SUBTREE;
            case "MAILBOXES": return Filter.MAILBOXES;
            default: throw ParseException.bad("unknown NOTIFY filter " + abbreviate(k)
                    + ": SELECTED, SELECTED-DELAYED, PERSONAL, INBOXES, SUBSCRIBED, SUBTREE or MAILBOXES");
        }
    }

    private static Event event(String name) {
        for (Event e : Event.values()) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }

    /** RFC 5465 5: MessageNew and MessageExpunge together; FlagChange and AnnotationChange only with both. */
    private static void check(Set<Event> events) throws ParseException {
        boolean news = events.contains(Event.MessageNew);
        if (news != events.contains(Event.MessageExpunge)) {
            throw ParseException.bad("MessageNew and MessageExpunge must be given together");
        }
        if (!news && (events.contains(Event.FlagChange) || events.contains(Event.AnnotationChange))) {
            throw ParseException.bad("FlagChange and AnnotationChange need MessageNew and MessageExpunge");
        }
    }

    /** one-or-more-mailbox: a mailbox or "(" mailbox *(SP mailbox) ")". */
    private static List<String> mailboxes(ImapParser p, int[] count) throws ParseException, IOException {
        List<String> out = new ArrayList<>();
        if (!p.tryChar('(')) {
            add(out, p.mailbox(), count);
            return out;
        }
        do {
            add(out, p.mailbox(), count);
        } while (p.trySp());
        p.expect(')');
        return out;
    }

    private static void add(List<String> out, String name, int[] count) throws ParseException {
        if (++count[0] > MAX_MAILBOXES) {
            throw ParseException.bad("more than " + MAX_MAILBOXES + " mailbox names in one NOTIFY");
        }
        out.add(name);
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "..." : s;
    }
}
