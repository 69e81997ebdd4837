package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.ListCommand;
import dev.mailkit.imap.internal.command.StatusItem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Parses LIST (RFC 3501, LIST-EXTENDED RFC 5258, LIST-STATUS RFC 5819, SPECIAL-USE RFC 6154) and LSUB. */
final class ListParser {
    private final ImapParser p;

    ListParser(ImapParser p) {
        this.p = p;
    }

    ListCommand list(String tag) throws ParseException, IOException {
        p.sp();
        Set<ListCommand.Selection> selection = EnumSet.noneOf(ListCommand.Selection.class);
        boolean extended = false;
        if (p.tryChar('(')) {
            extended = true;
            if (!p.tryChar(')')) {
                do {
                    String o = p.keyword();
                    switch (o) {
                        case "SUBSCRIBED" -> selection.add(ListCommand.Selection.SUBSCRIBED);
                        case "REMOTE" -> selection.add(ListCommand.Selection.REMOTE);
                        case "RECURSIVEMATCH" -> selection.add(ListCommand.Selection.RECURSIVEMATCH);
                        case "SPECIAL-USE" -> selection.add(ListCommand.Selection.SPECIAL_USE);
                        default -> throw ParseException.bad("unknown LIST selection option " + o);
                    }
                } while (p.trySp());
                p.expect(')');
            }
            p.sp();
            if (selection.contains(ListCommand.Selection.RECURSIVEMATCH)
                    && !selection.contains(ListCommand.Selection.SUBSCRIBED)
                    && !selection.contains(ListCommand.Selection.SPECIAL_USE)) {
                throw ParseException.bad("RECURSIVEMATCH needs another selection option such as SUBSCRIBED");
            }
        }
        String reference = p.mailbox();
        p.sp();
        List<String> patterns = new ArrayList<>();
        if (p.tryChar('(')) {
            extended = true;
            do {
                patterns.add(p.listMailbox());
                if (patterns.size() > 100) {
                    throw ParseException.bad("too many patterns");
                }
            } while (p.trySp());
            p.expect(')');
        } else {
            patterns.add(p.listMailbox());
        }
        Set<ListCommand.Return> returns = EnumSet.noneOf(ListCommand.Return.class);
        List<StatusItem> statusItems = List.of();
        if (p.trySp()) {
            if (!p.tryWord("RETURN")) {
                throw ParseException.bad("expected RETURN");
            }
            extended = true;
            p.sp();
            p.expect('(');
            if (!p.tryChar(')')) {
                do {
                    String o = p.keyword();
                    switch (o) {
                        case "SUBSCRIBED" -> returns.add(ListCommand.Return.SUBSCRIBED);
                        case "CHILDREN" -> returns.add(ListCommand.Return.CHILDREN);
                        case "SPECIAL-USE" -> returns.add(ListCommand.Return.SPECIAL_USE);
                        case "STATUS" -> {
                            returns.add(ListCommand.Return.STATUS);
                            p.sp();
                            statusItems = CommandParser.statusItems(p);
                        }
                        default -> throw ParseException.bad("unknown LIST return option " + o);
                    }
                } while (p.trySp());
                p.expect(')');
            }
        }
        p.end();
        return new ListCommand(tag, false, selection, reference, patterns, returns, statusItems, extended);
    }

    ListCommand lsub(String tag) throws ParseException, IOException {
        p.sp();
        String reference = p.mailbox();
        p.sp();
        String pattern = p.listMailbox();
        p.end();
        return new ListCommand(tag, true, Set.of(), reference, List.of(pattern), Set.of(), List.of(), false);
    }
}
