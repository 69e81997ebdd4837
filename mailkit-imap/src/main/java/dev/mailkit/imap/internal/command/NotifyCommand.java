package dev.mailkit.imap.internal.command;

import java.util.List;
import java.util.Set;

/**
 * NOTIFY (RFC 5465 3): {@code NOTIFY NONE}, or {@code NOTIFY SET [STATUS] event-group...}. An empty list of groups
 * with {@code none} false never occurs (the grammar needs one group).
 *
 * @param none   NOTIFY NONE: stop every notification
 * @param status the STATUS option: report the watched mailboxes' status at once
 * @param groups the event groups in the order given
 */
public record NotifyCommand(String tag, boolean none, boolean status, List<EventGroup> groups) implements Command {
    public NotifyCommand {
        groups = List.copyOf(groups);
    }

    @Override
    public String name() {
        return "NOTIFY";
    }

    /**
     * The events this server can report, with a store that reports account changes and keeps metadata; any other
     * (AnnotationChange: mailkit has no per-message annotations, RFC 5257) is refused with {@link #badEventCode}.
     */
    public static final Set<Event> SUPPORTED = java.util.EnumSet.complementOf(java.util.EnumSet.of(
            Event.AnnotationChange));

    /** The response code of a refused event: BADEVENT with every event of {@link #SUPPORTED} (RFC 5465 3.1). */
    public static String badEventCode() {
        return badEventCode(SUPPORTED);
    }

    /** The response code of a refused event: BADEVENT with the events supported (RFC 5465 3.1). */
    public static String badEventCode(Set<Event> supported) {
        StringBuilder sb = new StringBuilder("BADEVENT (");
        for (Event e : Event.values()) {
            if (supported.contains(e)) {
                sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : " ").append(e.name());
            }
        }
        return sb.append(')').toString();
    }

    /** The filter-mailboxes of RFC 5465 6 (the names used there). */
    public enum Filter { SELECTED, SELECTED_DELAYED, PERSONAL, INBOXES, SUBSCRIBED, SUBTREE, MAILBOXES }

    /** The events of RFC 5465 5 (the names used there). */
    public enum Event {
        MessageNew, MessageExpunge, FlagChange, AnnotationChange, MailboxName, SubscriptionChange,
        MailboxMetadataChange, ServerMetadataChange
    }

    /**
     * One event group: a filter, its mailbox names (SUBTREE and MAILBOXES only, as the client sent them) and its
     * events; an empty event set is the group's NONE. {@code newMessageFetch}: the FETCH attributes of MessageNew
     * (SELECTED and SELECTED-DELAYED only), or null.
     */
    public record EventGroup(Filter filter, List<String> mailboxes, Set<Event> events, FetchRequest newMessageFetch) {
        public EventGroup {
            mailboxes = List.copyOf(mailboxes);
            events = Set.copyOf(events);
        }
    }
}
