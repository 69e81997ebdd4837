package dev.mailkit.imap.internal.search;

import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.encode.AddressParser;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MessageData;

import java.io.IOException;
import java.text.Normalizer;
import java.util.List;

/**
 * The values SORT compares (RFC 5256 section 3, RFC 5957), as Dovecot computes them: ARRIVAL the internal date,
 * DATE the Date: header in UTC (the internal date when it cannot be read), SIZE the size, FROM/TO/CC the local part
 * of the first address, DISPLAYFROM/DISPLAYTO its decoded display name or else its address, SUBJECT the base
 * subject; strings case-folded ({@link #fold}) so that a plain comparison orders them. Stateless.
 */
public final class SortKeys {
    private SortKeys() {
    }

    /** Whether the key is a number (compared as a long) rather than a string. */
    public static boolean numeric(SortCriterion.Key k) {
        return k == SortCriterion.Key.ARRIVAL || k == SortCriterion.Key.DATE || k == SortCriterion.Key.SIZE;
    }

    /** The numeric key of a message. */
    public static long number(SortCriterion.Key k, MessageData m) throws IOException {
        return switch (k) {
            case ARRIVAL -> m.internalDate().getEpochSecond();
            case SIZE -> m.size();
            case DATE -> sentDate(m);
            default -> throw new IllegalArgumentException(k + " is not numeric");
        };
    }

    /** The sent date in epoch seconds: the Date: header's, else the internal date (RFC 5256 2.2). */
    public static long sentDate(MessageData m) throws IOException {
        long d = MessageDate.parse(m.envelope().date());
        return d == MessageDate.INVALID ? m.internalDate().getEpochSecond() : d;
    }

    /** The string key of a message. */
    public static String string(SortCriterion.Key k, MessageData m) throws IOException {
        EnvelopeFields e = m.envelope();
        return switch (k) {
            case SUBJECT -> fold(BaseSubject.of(e.subject()));
            case FROM -> fold(mailbox(e.from()));
            case TO -> fold(mailbox(e.to()));
            case CC -> fold(mailbox(e.cc()));
            case DISPLAYFROM -> fold(display(e.from()));
            case DISPLAYTO -> fold(display(e.to()));
            default -> throw new IllegalArgumentException(k + " is not a string");
        };
    }

    private static String mailbox(String field) {
        AddressParser.Address a = first(field);
        return a == null || a.mailbox() == null ? "" : a.mailbox();
    }

    private static String display(String field) {
        AddressParser.Address a = first(field);
        if (a == null) {
            return "";
        }
        if (a.name() != null && !a.name().isBlank()) {
            return MessageText.decode(a.name());
        }
        if (a.mailbox() == null) {
            return "";
        }
        return a.host() == null ? a.mailbox() : a.mailbox() + "@" + a.host();
    }

    private static AddressParser.Address first(String field) {
        if (field == null) {
            return null;
        }
        List<AddressParser.Address> l = AddressParser.parse(field);
        return l.isEmpty() ? null : l.get(0);
    }

    /**
     * i;unicode-casemap as Dovecot applies it: decomposed, each character title-cased; ASCII simply upper-cased.
     * Ordered by code point afterwards.
     */
    public static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (ascii) {
            StringBuilder sb = null;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 'a' && c <= 'z') {
                    if (sb == null) {
                        sb = new StringBuilder(s);
                    }
                    sb.setCharAt(i, (char) (c - 32));
                }
            }
            return sb == null ? s : sb.toString();
        }
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(d.length());
        d.codePoints().forEach(cp -> sb.appendCodePoint(Character.toTitleCase(cp)));
        return sb.toString();
    }
}
