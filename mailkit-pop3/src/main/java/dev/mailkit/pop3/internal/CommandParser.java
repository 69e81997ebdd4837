package dev.mailkit.pop3.internal;

import dev.mailkit.pop3.internal.command.AuthCommand;
import dev.mailkit.pop3.internal.command.CapaCommand;
import dev.mailkit.pop3.internal.command.Command;
import dev.mailkit.pop3.internal.command.DeleCommand;
import dev.mailkit.pop3.internal.command.ListCommand;
import dev.mailkit.pop3.internal.command.NoopCommand;
import dev.mailkit.pop3.internal.command.PassCommand;
import dev.mailkit.pop3.internal.command.QuitCommand;
import dev.mailkit.pop3.internal.command.RetrCommand;
import dev.mailkit.pop3.internal.command.RsetCommand;
import dev.mailkit.pop3.internal.command.StatCommand;
import dev.mailkit.pop3.internal.command.StlsCommand;
import dev.mailkit.pop3.internal.command.TopCommand;
import dev.mailkit.pop3.internal.command.UidlCommand;
import dev.mailkit.pop3.internal.command.UserCommand;
import dev.mailkit.pop3.internal.command.Utf8Command;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a command line (without its line end) into a {@link Command}, checking the syntax of RFC 1939, 2449, 2595
 * and 5034: a case-insensitive keyword, arguments separated by spaces, message numbers as decimal digits. Control
 * characters (NUL, bare CR, ...) and invalid UTF-8 are refused. USER and PASS take the rest of the line as their
 * argument (a password may contain spaces). Stateless and thread-safe.
 */
public final class CommandParser {
    /** Any message number too big for an int: no maildrop has such a message. */
    public static final int TOO_BIG = Integer.MAX_VALUE;

    private CommandParser() {
    }

    /**
     * Parses a line.
     *
     * @throws ParseException with the text of the {@code -ERR} reply
     */
    public static Command parse(byte[] line) throws ParseException {
        for (byte b : line) {
            if ((b >= 0 && b < 0x20) || b == 0x7F) {
                throw new ParseException("Control characters are not allowed in commands");
            }
        }
        int sp = indexOf(line, (byte) ' ');
        int verbEnd = sp < 0 ? line.length : sp;
        if (verbEnd < 3 || verbEnd > 4) {
            throw new ParseException("Unknown command");
        }
        char[] v = new char[verbEnd];
        for (int i = 0; i < verbEnd; i++) {
            int c = line[i] & 0xFF;
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            if ((c < 'A' || c > 'Z') && (i == 0 || c < '0' || c > '9')) { // UTF8 has a digit
                throw new ParseException("Unknown command");
            }
            v[i] = (char) c;
        }
        String verb = new String(v);
        byte[] rest = sp < 0 ? new byte[0] : Arrays.copyOfRange(line, sp + 1, line.length);
        switch (verb) {
            case "USER":
                return new UserCommand(requiredText(rest, "USER name"));
            case "PASS":
                return new PassCommand(chars(rest));
            case "AUTH":
                return auth(rest);
            case "CAPA":
                none(rest, verb);
                return CapaCommand.INSTANCE;
            case "STLS":
                none(rest, verb);
                return StlsCommand.INSTANCE;
            case "UTF8":
                none(rest, verb);
                return Utf8Command.INSTANCE;
            case "QUIT":
                none(rest, verb);
                return QuitCommand.INSTANCE;
            case "STAT":
                none(rest, verb);
                return StatCommand.INSTANCE;
            case "NOOP":
                none(rest, verb);
                return NoopCommand.INSTANCE;
            case "RSET":
                none(rest, verb);
                return RsetCommand.INSTANCE;
            case "LIST":
                return new ListCommand(optionalMessage(rest, "LIST [msg]"));
            case "UIDL":
                return new UidlCommand(optionalMessage(rest, "UIDL [msg]"));
            case "RETR":
                return new RetrCommand(message(args(rest, 1, "RETR msg").get(0)));
            case "DELE":
                return new DeleCommand(message(args(rest, 1, "DELE msg").get(0)));
            case "TOP":
                List<String> a = args(rest, 2, "TOP msg n");
                return new TopCommand(message(a.get(0)), lines(a.get(1)));
            default:
                throw new ParseException("Unknown command");
        }
    }

    private static Command auth(byte[] rest) throws ParseException {
        List<String> a = split(text(rest));
        if (a.isEmpty()) {
            return new AuthCommand(null, null);
        }
        if (a.size() > 2) {
            throw new ParseException("Syntax: AUTH mechanism [initial-response]");
        }
        return new AuthCommand(a.get(0), a.size() == 2 ? a.get(1) : null);
    }

    private static void none(byte[] rest, String verb) throws ParseException {
        if (!split(text(rest)).isEmpty()) {
            throw new ParseException("Syntax: " + verb + " takes no arguments");
        }
    }

    private static int optionalMessage(byte[] rest, String syntax) throws ParseException {
        List<String> a = split(text(rest));
        if (a.size() > 1) {
            throw new ParseException("Syntax: " + syntax);
        }
        return a.isEmpty() ? 0 : message(a.get(0));
    }

    private static List<String> args(byte[] rest, int count, String syntax) throws ParseException {
        List<String> a = split(text(rest));
        if (a.size() != count) {
            throw new ParseException("Syntax: " + syntax);
        }
        return a;
    }

    /** A message number: decimal digits, at least 1 (0 and numbers too big for an int are nobody's message). */
    private static int message(String s) throws ParseException {
        long n = number(s, "message number");
        return n > Integer.MAX_VALUE ? TOO_BIG : (int) n == 0 ? -1 : (int) n;
    }

    private static long lines(String s) throws ParseException {
        return number(s, "number of lines");
    }

    /** Decimal digits; values beyond Long.MAX_VALUE saturate. */
    private static long number(String s, String what) throws ParseException {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ParseException("Invalid " + what + ": digits expected");
            }
            n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>(2);
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out;
    }

    private static String requiredText(byte[] rest, String syntax) throws ParseException {
        String s = text(rest);
        if (s.isEmpty()) {
            throw new ParseException("Syntax: " + syntax);
        }
        return s;
    }

    private static String text(byte[] b) throws ParseException {
        return new String(chars(b));
    }

    private static char[] chars(byte[] b) throws ParseException {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            char[] c = new char[cb.remaining()];
            cb.get(c);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return c;
        } catch (CharacterCodingException e) {
            throw new ParseException("Commands must be ASCII or UTF-8");
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
