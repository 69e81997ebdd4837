package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.FetchAttribute;
import dev.mailkit.imap.internal.command.FetchItem;
import dev.mailkit.imap.internal.command.FetchRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses FETCH items: macros, attributes, BODY[section]&lt;partial&gt;, BINARY (RFC 3501 6.4.5, RFC 3516) and PREVIEW
 * (RFC 8970).
 */
final class FetchParser {
    private final ImapParser p;

    FetchParser(ImapParser p) {
        this.p = p;
    }

    /** ALL / FULL / FAST / fetch-att / "(" fetch-att *(SP fetch-att) ")". */
    FetchRequest request() throws ParseException, IOException {
        List<FetchItem> items = new ArrayList<>();
        if (p.tryChar('(')) {
            p.enter();
            do {
                item(items, true);
            } while (p.trySp());
            p.expect(')');
            p.leave();
        } else if (p.tryWord("ALL")) {
            items.addAll(List.of(FetchAttribute.FLAGS, FetchAttribute.INTERNALDATE, FetchAttribute.RFC822_SIZE,
                    FetchAttribute.ENVELOPE));
        } else if (p.tryWord("FAST")) {
            items.addAll(List.of(FetchAttribute.FLAGS, FetchAttribute.INTERNALDATE, FetchAttribute.RFC822_SIZE));
        } else if (p.tryWord("FULL")) {
            items.addAll(List.of(FetchAttribute.FLAGS, FetchAttribute.INTERNALDATE, FetchAttribute.RFC822_SIZE,
                    FetchAttribute.ENVELOPE, FetchAttribute.BODY));
        } else {
            item(items, false);
        }
        return new FetchRequest(dedupe(items));
    }

    private static List<FetchItem> dedupe(List<FetchItem> items) {
        List<FetchItem> out = new ArrayList<>(items.size());
        for (FetchItem i : items) {
            if (!out.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private void item(List<FetchItem> items, boolean inList) throws ParseException, IOException {
        String name = p.word();
        switch (name) {
            case "ENVELOPE" -> items.add(FetchAttribute.ENVELOPE);
            case "FLAGS" -> items.add(FetchAttribute.FLAGS);
            case "INTERNALDATE" -> items.add(FetchAttribute.INTERNALDATE);
            case "RFC822" -> items.add(FetchAttribute.RFC822);
            case "RFC822.HEADER" -> items.add(FetchAttribute.RFC822_HEADER);
            case "RFC822.SIZE" -> items.add(FetchAttribute.RFC822_SIZE);
            case "RFC822.TEXT" -> items.add(FetchAttribute.RFC822_TEXT);
            case "BODYSTRUCTURE" -> items.add(FetchAttribute.BODYSTRUCTURE);
            case "UID" -> items.add(FetchAttribute.UID);
            case "MODSEQ" -> items.add(FetchAttribute.MODSEQ);
            case "SAVEDATE" -> items.add(FetchAttribute.SAVEDATE);
            case "EMAILID" -> items.add(FetchAttribute.EMAILID);
            case "THREADID" -> items.add(FetchAttribute.THREADID);
            case "PREVIEW" -> {
                previewModifiers(inList);
                items.add(FetchAttribute.PREVIEW);
            }
            case "BODY" -> {
                if (p.peek() == '[') {
                    items.add(section(BodySection.Kind.BODY, false));
                } else {
                    items.add(FetchAttribute.BODY);
                }
            }
            case "BODY.PEEK" -> items.add(section(BodySection.Kind.BODY, true));
            case "BINARY" -> items.add(section(BodySection.Kind.BINARY, false));
            case "BINARY.PEEK" -> items.add(section(BodySection.Kind.BINARY, true));
            case "BINARY.SIZE" -> items.add(section(BodySection.Kind.BINARY_SIZE, true));
            case "ALL", "FAST", "FULL" -> throw ParseException.bad(name + " is a macro and cannot be in a list");
            default -> throw ParseException.bad("unknown FETCH item " + name);
        }
    }

    /**
     * RFC 8970's {@code [SP "(" preview-mod *(SP preview-mod) ")"]}: LAZY is the only modifier, and changes nothing
     * here (the preview is always computed: it costs one bounded read of one part). In a list any {@code " ("} opens
     * modifiers; a lone PREVIEW item takes them only as {@code " (LAZY"}, so that
     * {@code FETCH 1 PREVIEW (CHANGEDSINCE 5)} still reads as FETCH modifiers.
     */
    private void previewModifiers(boolean inList) throws ParseException {
        String open = inList ? " (" : " (LAZY";
        for (int i = 0; i < open.length(); i++) {
            int c = p.peek(i);
            if (c < 0 || Character.toUpperCase((char) c) != open.charAt(i)) {
                return;
            }
        }
        p.sp();
        p.expect('(');
        do {
            String mod = p.word();
            if (!mod.equals("LAZY")) {
                throw ParseException.bad("unknown PREVIEW modifier " + mod + " (RFC 8970 defines LAZY)");
            }
        } while (p.trySp());
        p.expect(')');
    }

    private BodySection section(BodySection.Kind kind, boolean peek) throws ParseException, IOException {
        p.expect('[');
        List<Integer> part = new ArrayList<>();
        BodySection.Text text = BodySection.Text.NONE;
        List<String> fields = List.of();
        while (p.peek() >= '0' && p.peek() <= '9') {
            long n = p.nzNumber();
            if (n > 100_000) {
                throw ParseException.bad("part number too large");
            }
            part.add((int) n);
            if (part.size() > 64) {
                throw ParseException.bad("CLIENTBUG", "part path deeper than 64 levels");
            }
            if (!p.tryChar('.')) {
                break;
            }
            if (p.peek() < '0' || p.peek() > '9') {
                text = sectionText(!part.isEmpty());
                break;
            }
        }
        if (part.isEmpty() && p.peek() != ']') {
            text = sectionText(false);
        }
        if (text == BodySection.Text.HEADER_FIELDS || text == BodySection.Text.HEADER_FIELDS_NOT) {
            fields = headerList();
        }
        p.expect(']');
        if (kind != BodySection.Kind.BODY && text != BodySection.Text.NONE) {
            throw ParseException.bad("BINARY sections take part numbers only");
        }
        long offset = -1;
        long length = -1;
        if (kind != BodySection.Kind.BINARY_SIZE && p.tryChar('<')) {
            offset = p.number();
            // <offset> alone (to the end) is accepted as Dovecot does; RFC 3501 always has the length
            length = p.tryChar('.') ? p.nzNumber() : Long.MAX_VALUE;
            p.expect('>');
        }
        return new BodySection(kind, peek, part, text, fields, offset, length);
    }

    private BodySection.Text sectionText(boolean afterPart) throws ParseException {
        String w = p.word();
        return switch (w) {
            case "HEADER" -> BodySection.Text.HEADER;
            case "HEADER.FIELDS" -> BodySection.Text.HEADER_FIELDS;
            case "HEADER.FIELDS.NOT" -> BodySection.Text.HEADER_FIELDS_NOT;
            case "TEXT" -> BodySection.Text.TEXT;
            case "MIME" -> {
                if (!afterPart) {
                    throw ParseException.bad("MIME needs a part number, as in BODY[1.MIME]");
                }
                yield BodySection.Text.MIME;
            }
            default -> throw ParseException.bad("unknown section " + w);
        };
    }

    private List<String> headerList() throws ParseException, IOException {
        p.sp();
        p.expect('(');
        List<String> fields = new ArrayList<>();
        do {
            String f = p.astring();
            if (f.isEmpty()) {
                throw ParseException.bad("empty header field name");
            }
            for (int i = 0; i < f.length(); i++) {
                char c = f.charAt(i);
                if (c <= ' ' || c >= 127 || c == ':') {
                    throw ParseException.bad("invalid header field name " + f);
                }
            }
            fields.add(f.toUpperCase(Locale.ROOT));
        } while (p.trySp());
        p.expect(')');
        return fields;
    }
}
