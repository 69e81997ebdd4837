package dev.mailkit.imap.internal.encode;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses an RFC 5322 address-list header value into the address structures of an IMAP ENVELOPE (RFC 3501 7.4.2):
 * name, source route, mailbox, host, with group start and end markers. Lenient in the way mail servers must be
 * (like Dovecot): a missing domain becomes {@code MISSING_DOMAIN}, a missing local part {@code MISSING_MAILBOX}, a
 * trailing comment becomes the display name, and garbage never throws. Runs in time linear in the input.
 */
public final class AddressParser {
    /** One ENVELOPE address; a group start has only {@code mailbox} (the group name), a group end nothing. */
    public record Address(String name, String adl, String mailbox, String host) {
        static final Address GROUP_END = new Address(null, null, null, null);
    }

    static final String MISSING_MAILBOX = "MISSING_MAILBOX";
    static final String MISSING_DOMAIN = "MISSING_DOMAIN";

    private enum T { ATOM, QUOTED, COMMENT, DOMAIN_LITERAL, SPECIAL }

    private record Token(T type, String text) {
        boolean is(char c) {
            return type == T.SPECIAL && text.charAt(0) == c;
        }
    }

    private final List<Token> tokens;
    private int i;

    private AddressParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** Parses the header value; empty for null or a value with no addresses. */
    public static List<Address> parse(String value) {
        List<Address> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        AddressParser p = new AddressParser(tokenize(value));
        p.addressList(out);
        return out;
    }

    private void addressList(List<Address> out) {
        int commas = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is(',')) {
                if (++commas == 2 && !out.isEmpty()) {
                    out.add(new Address(null, null, MISSING_MAILBOX, MISSING_DOMAIN)); // "a, , b" as Dovecot
                    commas = 1;
                }
                i++;
                continue;
            }
            if (t.is(';') || t.type == T.COMMENT || t.is('>')) {
                i++;
                continue;
            }
            commas = 0;
            address(out, false);
        }
    }

    private void address(List<Address> out, boolean inGroup) {
        int start = i;
        int j = i;
        while (j < tokens.size()) {
            Token t = tokens.get(j);
            if (t.is('<') || t.is(':') || t.is('@') || t.is(',') || t.is(';')) {
                break;
            }
            j++;
        }
        Token stop = j < tokens.size() ? tokens.get(j) : null;
        if (stop != null && stop.is(':') && !inGroup) {
            String groupName = phrase(start, j);
            out.add(new Address(null, null, groupName == null ? "" : groupName, null));
            i = j + 1;
            while (i < tokens.size() && !tokens.get(i).is(';')) {
                Token t = tokens.get(i);
                if (t.is(',') || t.type == T.COMMENT) {
                    i++;
                    continue;
                }
                address(out, true);
            }
            if (i < tokens.size()) {
                i++; // ';'
            }
            out.add(Address.GROUP_END);
            return;
        }
        if (stop != null && stop.is('<')) {
            String name = phrase(start, j);
            i = j + 1;
            String adl = route();
            Address a = addrSpec(name, adl, '>');
            if (i < tokens.size() && tokens.get(i).is('>')) {
                i++;
            }
            skipToSeparator();
            out.add(a);
            return;
        }
        i = start;
        out.add(addrSpec(null, null, (char) 0));
        skipToSeparator();
    }

    /** An optional obs-route {@code @a,@b:} inside angle brackets, as IMAP's adl ({@code @a,@b}). */
    private String route() {
        if (i >= tokens.size() || !tokens.get(i).is('@')) {
            return null;
        }
        int save = i;
        StringBuilder sb = new StringBuilder();
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is('@')) {
                sb.append('@');
                i++;
                while (i < tokens.size() && (tokens.get(i).type == T.ATOM || tokens.get(i).is('.')
                        || tokens.get(i).type == T.DOMAIN_LITERAL)) {
                    sb.append(tokens.get(i++).text);
                }
            } else if (t.is(',')) {
                sb.append(',');
                i++;
            } else if (t.is(':')) {
                i++;
                return sb.toString();
            } else if (t.type == T.COMMENT) {
                i++;
            } else {
                break;
            }
        }
        i = save; // not a route after all
        return null;
    }

    /** local-part "@" domain, up to the terminator (or a separator); a trailing comment is the name if none. */
    private Address addrSpec(String name, String adl, char terminator) {
        StringBuilder local = new StringBuilder();
        String comment = null;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (t.is('@') || t.is(',') || t.is(';') || terminator != 0 && t.is(terminator)) {
                break;
            }
            if (t.type == T.COMMENT) {
                comment = t.text;
            } else if (t.type != T.SPECIAL || t.is('.')) {
                local.append(t.text);
            }
            i++;
        }
        String host = null;
        if (i < tokens.size() && tokens.get(i).is('@')) {
            i++;
            StringBuilder domain = new StringBuilder();
            while (i < tokens.size()) {
                Token t = tokens.get(i);
                if (t.is(',') || t.is(';') || terminator != 0 && t.is(terminator)) {
                    break;
                }
                if (t.type == T.COMMENT) {
                    comment = t.text;
                } else if (t.type == T.ATOM || t.type == T.DOMAIN_LITERAL || t.is('.')) {
                    domain.append(t.text);
                }
                i++;
            }
            host = domain.length() == 0 ? null : domain.toString();
        }
        if (terminator == 0 && name == null && comment != null && !comment.isBlank()) {
            name = comment;
        }
        return new Address(name, adl, local.length() == 0 ? MISSING_MAILBOX : local.toString(),
                host == null ? MISSING_DOMAIN : host);
    }

    private void skipToSeparator() {
        while (i < tokens.size() && !tokens.get(i).is(',') && !tokens.get(i).is(';')) {
            i++;
        }
    }

    /** The display name: the words of a phrase joined by single spaces, quotes removed; null if empty. */
    private String phrase(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.type == T.COMMENT) {
                continue;
            }
            if (t.is('.')) {
                sb.append('.');
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '.') {
                sb.append(' ');
            }
            sb.append(t.text);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int n = s.length();
        int k = 0;
        while (k < n) {
            char c = s.charAt(k);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                k++;
            } else if (c == '(') {
                StringBuilder sb = new StringBuilder();
                int depth = 1;
                k++;
                while (k < n && depth > 0) {
                    char d = s.charAt(k++);
                    if (d == '\\' && k < n) {
                        sb.append(s.charAt(k++));
                    } else if (d == '(') {
                        depth++;
                        sb.append(d);
                    } else if (d == ')') {
                        if (--depth > 0) {
                            sb.append(d);
                        }
                    } else {
                        sb.append(d == '\r' || d == '\n' ? ' ' : d);
                    }
                }
                out.add(new Token(T.COMMENT, sb.toString().trim()));
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                k++;
                while (k < n) {
                    char d = s.charAt(k++);
                    if (d == '\\' && k < n) {
                        sb.append(s.charAt(k++));
                    } else if (d == '"') {
                        break;
                    } else if (d != '\r' && d != '\n') {
                        sb.append(d);
                    }
                }
                out.add(new Token(T.QUOTED, sb.toString()));
            } else if (c == '[') {
                int end = s.indexOf(']', k);
                end = end < 0 ? n : end + 1;
                out.add(new Token(T.DOMAIN_LITERAL, s.substring(k, end)));
                k = end;
            } else if ("<>:;@,.\\])".indexOf(c) >= 0) { // a stray ')' or ']' is a special, never an empty atom
                out.add(new Token(T.SPECIAL, String.valueOf(c)));
                k++;
            } else {
                int start = k;
                while (k < n) {
                    char d = s.charAt(k);
                    if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || "()<>:;@,.\"[]\\".indexOf(d) >= 0) {
                        break;
                    }
                    k++;
                }
                if (k == start) { // unreachable while every stop character above is handled; never loop on it
                    k++;
                    continue;
                }
                out.add(new Token(T.ATOM, s.substring(start, k)));
            }
        }
        return out;
    }
}
