package dev.mailkit.imap.internal.protocol;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.CatenatePart;
import dev.mailkit.imap.internal.message.MessageFlags;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * APPEND's CATENATE data item (RFC 4469 5): {@code "CATENATE" SP "(" cat-part *(SP cat-part) ")"}, where a cat-part
 * is {@code "TEXT" SP literal} (or a literal8 {@code ~{n}}, RFC 3516), {@code "URL" SP astring}, or, after
 * {@code ENABLE UTF8=ACCEPT}, {@code "UTF8" SP "(" literal8 ")"} (RFC 6855 4). TEXT literals are
 * streamed into the spool as they arrive; together they may not exceed the APPEND limit ({@code NO [TOOBIG]} before
 * the literal that would pass it is asked for). URLs are kept as sent: they are resolved when the command runs,
 * against the mailbox then selected. Not thread-safe: one per session.
 */
final class CatenateParser {
    /** At most this many parts in one CATENATE list. */
    static final int MAX_PARTS = 1000;

    private final ImapParser p;

    CatenateParser(ImapParser p) {
        this.p = p;
    }

    /** Whether the next data item is CATENATE (the parser stays where it is). */
    boolean atCatenate() {
        return p.peekWord("CATENATE");
    }

    /** Reads {@code CATENATE (...)} into a message to append; on failure the spooled parts are released. */
    AppendCommand.Message message(MessageFlags flags, OffsetDateTime date, MessageSpool spool, long limit)
            throws ParseException, IOException {
        if (!p.tryWord("CATENATE")) {
            throw ParseException.bad("expected CATENATE");
        }
        p.sp();
        p.expect('(');
        List<CatenatePart> parts = new ArrayList<>();
        try {
            long textBytes = 0;
            if (p.peek() == ')') {
                throw ParseException.bad("Empty CATENATE list");
            }
            do {
                if (parts.size() == MAX_PARTS) {
                    throw ParseException.bad("LIMIT", "at most " + MAX_PARTS + " parts in a CATENATE list");
                }
                if (p.tryWord("URL")) {
                    p.sp();
                    parts.add(new CatenatePart.Url(p.astring()));
                } else if (p.tryWord("TEXT")) {
                    p.sp();
                    p.tryChar('~'); // a literal8 (RFC 3516): stored as it is
                    MessageSource text = text(spool, limit, textBytes);
                    parts.add(new CatenatePart.Text(text));
                    textBytes += text.size();
                } else if (p.tryWord("UTF8")) {
                    // RFC 6855 4: cat-part =/ "UTF8" SP "(" literal8 ")", once UTF8=ACCEPT is enabled
                    if (!p.utf8()) {
                        throw ParseException.bad("CATENATE's UTF8 part needs ENABLE UTF8=ACCEPT first (RFC 6855)");
                    }
                    p.sp();
                    p.expect('(');
                    p.expect('~');
                    MessageSource text = text(spool, limit, textBytes);
                    parts.add(new CatenatePart.Text(text));
                    textBytes += text.size();
                    p.expect(')');
                } else {
                    throw ParseException.bad("expected TEXT or URL in the CATENATE list");
                }
            } while (p.trySp());
            p.expect(')');
            return new AppendCommand.Message(flags, date, null, parts);
        } catch (ParseException | IOException | RuntimeException e) {
            new AppendCommand.Message(flags, date, null, parts).close();
            throw e;
        }
    }

    /** A TEXT literal, refused ({@code NO [TOOBIG]}, before it is asked for) if the parts would pass the limit. */
    private MessageSource text(MessageSpool spool, long limit, long soFar) throws ParseException, IOException {
        try {
            return p.messageLiteral(spool, limit - soFar);
        } catch (ParseException e) {
            if ("TOOBIG".equals(e.code())) {
                throw ParseException.no("TOOBIG", "the CATENATE parts are larger than the APPENDLIMIT of " + limit
                        + " octets");
            }
            throw e;
        }
    }
}
