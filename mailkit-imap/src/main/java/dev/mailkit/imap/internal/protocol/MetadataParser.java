package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.GetMetadataCommand;
import dev.mailkit.imap.internal.command.SetMetadataCommand;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GETMETADATA and SETMETADATA arguments (RFC 5464 4.2, 4.3), with its rules for entry names: they begin
 * {@code /private} or {@code /shared}, have no {@code *}, {@code %}, {@code //}, control characters or 8-bit octets,
 * do not end in {@code /}, and are compared in lower case (BAD otherwise, as Dovecot answers).
 */
final class MetadataParser {
    /** More entries than this in one command is abuse. */
    static final int MAX_ENTRIES = 1000;
    /** The longest entry name. */
    static final int MAX_ENTRY_LENGTH = 1024;

    private final ImapParser p;

    MetadataParser(ImapParser p) {
        this.p = p;
    }

    /** After "GETMETADATA": [SP options] SP mailbox SP (entry / "(" entry *(SP entry) ")"). */
    Command get(String tag) throws ParseException, IOException {
        p.sp();
        long maxSize = -1;
        int depth = 0;
        if (p.tryChar('(')) {
            do {
                String option = p.keyword();
                p.sp();
                if (option.equals("MAXSIZE")) {
                    maxSize = p.number();
                } else if (option.equals("DEPTH")) {
                    depth = depth(p.atom());
                } else {
                    throw ParseException.bad("Unknown GETMETADATA option " + option + ": only MAXSIZE and DEPTH");
                }
            } while (p.trySp());
            p.expect(')');
            p.sp();
        }
        String mailbox = p.mailbox();
        p.sp();
        List<String> entries = new ArrayList<>();
        if (p.tryChar('(')) {
            if (!p.tryChar(')')) {
                do {
                    add(entries, entry(p.astring(), false));
                } while (p.trySp());
                p.expect(')');
            }
        } else {
            add(entries, entry(p.astring(), false));
        }
        p.end();
        return new GetMetadataCommand(tag, mailbox, entries, maxSize, depth);
    }

    private static void add(List<String> entries, String e) throws ParseException {
        if (entries.size() == MAX_ENTRIES) {
            throw ParseException.bad("more than " + MAX_ENTRIES + " entries in one command");
        }
        entries.add(e);
    }

    private static int depth(String d) throws ParseException {
        switch (d.toLowerCase(Locale.ROOT)) {
            case "0": return 0;
            case "1": return 1;
            case "infinity": return GetMetadataCommand.INFINITY;
            default: throw ParseException.bad("Invalid value for DEPTH option: 0, 1 or infinity");
        }
    }

    /** After "SETMETADATA": SP mailbox SP "(" [entry SP value *(SP entry SP value)] ")". */
    Command set(String tag) throws ParseException, IOException {
        p.sp();
        String mailbox = p.mailbox();
        p.sp();
        p.expect('(');
        Map<String, byte[]> values = new LinkedHashMap<>();
        if (!p.tryChar(')')) {
            do {
                String e = entry(p.astring(), true);
                p.sp();
                byte[] v = value();
                values.remove(e);
                if (values.size() == MAX_ENTRIES) {
                    throw ParseException.bad("more than " + MAX_ENTRIES + " entries in one command");
                }
                values.put(e, v);
            } while (p.trySp());
            p.expect(')');
        }
        p.end();
        return new SetMetadataCommand(tag, mailbox, values);
    }

    /** value: nstring / literal8; null for NIL. */
    private byte[] value() throws ParseException, IOException {
        if (p.tryWord("NIL")) {
            return null;
        }
        p.tryChar('~'); // literal8 (RFC 3516): the literal that follows may hold any octet
        if (p.peek() == '{') {
            CommandReader r = p.reader();
            CommandReader.Literal l = r.literalHeader();
            if (l.size() > r.maxLiteral()) { // RFC 5464 4.3: too large a value is NO [METADATA MAXSIZE n]
                throw ParseException.no("METADATA MAXSIZE " + r.maxLiteral(), "a value of " + l.size()
                        + " octets is larger than the " + r.maxLiteral() + " allowed");
            }
            return r.readLiteral(l);
        }
        return p.stringBytes();
    }

    /**
     * Checks an entry name and returns it in lower case.
     *
     * @param toSet whether it is to be set: then {@code /private} and {@code /shared} alone are not entries
     */
    static String entry(String name, boolean toSet) throws ParseException {
        if (name.isEmpty() || name.charAt(0) != '/') {
            throw ParseException.bad("Entry name must begin with '/'");
        }
        if (name.length() > MAX_ENTRY_LENGTH) {
            throw ParseException.bad("Entry name longer than " + MAX_ENTRY_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' && (i > 0 && name.charAt(i - 1) == '/')) {
                throw ParseException.bad("Entry name can't contain consecutive '/'");
            }
            if (c == '/' && i == name.length() - 1) {
                throw ParseException.bad("Entry name can't end with '/'");
            }
            if (c == '*' || c == '%') {
                throw ParseException.bad("Entry name can't contain '" + c + "'");
            }
            if (c <= 0x20 || c >= 0x7f) {
                throw ParseException.bad("Entry name can't contain spaces, control characters or 8-bit characters");
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        int slash = lower.indexOf('/', 1);
        String prefix = slash < 0 ? lower : lower.substring(0, slash);
        if (!prefix.equals("/private") && !prefix.equals("/shared")) {
            throw ParseException.bad("Entry name must begin with /private or /shared");
        }
        if (toSet && slash < 0) {
            throw ParseException.bad("Entry name " + lower + " is a namespace, not an entry: set " + lower
                    + "/something");
        }
        return lower;
    }
}
