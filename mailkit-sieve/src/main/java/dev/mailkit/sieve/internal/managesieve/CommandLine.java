package dev.mailkit.sieve.internal.managesieve;

import dev.mailkit.core.server.ProtocolInputStream;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one ManageSieve command (RFC 5804 4): an atom, then arguments that are quoted strings, literals
 * ({@code {n+}} or {@code {n}}, CRLF, n octets; the server never sends a continuation), numbers or atoms, up to the
 * CRLF. Strings must be UTF-8. Lines and literals are bounded. Not thread-safe.
 */
final class CommandLine {
    /** A command that cannot be read as ManageSieve (answered NO; the connection goes on). */
    static final class BadCommand extends Exception {
        private static final long serialVersionUID = 1L;

        BadCommand(String message) {
            super(message, null, false, false);
        }
    }

    /** A literal too large to accept (the connection must end: its octets cannot be skipped safely). */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    static final int MAX_LINE = 8192;
    static final int MAX_ARGS = 8;

    final String name;
    final List<String> args;

    private CommandLine(String name, List<String> args) {
        this.name = name;
        this.args = args;
    }

    /** The next command, or null at the end of the input. */
    static CommandLine read(ProtocolInputStream in, int maxLiteral) throws IOException, BadCommand, TooLarge {
        byte[] line = in.readLineBytes(MAX_LINE);
        if (line == null) {
            return null;
        }
        List<String> tokens = new ArrayList<>();
        int i = 0;
        String name = null;
        while (true) {
            while (i < line.length && line[i] == ' ') {
                i++;
            }
            if (i >= line.length) {
                break;
            }
            if (tokens.size() > MAX_ARGS) {
                throw new BadCommand("Too many arguments.");
            }
            byte c = line[i];
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                i++;
                boolean closed = false;
                while (i < line.length) {
                    byte x = line[i++];
                    if (x == '\\' && i < line.length && (line[i] == '"' || line[i] == '\\')) {
                        raw.write(line[i++]);
                    } else if (x == '"') {
                        closed = true;
                        break;
                    } else {
                        raw.write(x);
                    }
                }
                if (!closed) {
                    throw new BadCommand("Unterminated string.");
                }
                b.append(utf8(raw.toByteArray()));
                tokens.add(b.toString());
            } else if (c == '{') {
                int close = indexOf(line, (byte) '}', i);
                if (close != line.length - 1) {
                    throw new BadCommand("Invalid literal.");
                }
                String n = new String(line, i + 1, close - i - 1, StandardCharsets.US_ASCII);
                if (n.endsWith("+")) {
                    n = n.substring(0, n.length() - 1);
                }
                if (!n.matches("[0-9]{1,10}")) {
                    throw new BadCommand("Invalid literal size.");
                }
                long size = Long.parseLong(n);
                if (size > maxLiteral) {
                    throw new TooLarge("Literal of " + size + " octets is too large (max " + maxLiteral + ").");
                }
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    return null;
                }
                tokens.add(utf8(data));
                line = in.readLineBytes(MAX_LINE);
                if (line == null) {
                    return null;
                }
                i = 0;
                continue;
            } else {
                int start = i;
                while (i < line.length && line[i] != ' ') {
                    if (line[i] < 0x21 || line[i] == 0x7f || line[i] == '"' || line[i] == '{') {
                        throw new BadCommand("Invalid characters in command.");
                    }
                    i++;
                }
                String atom = new String(line, start, i - start, StandardCharsets.US_ASCII);
                if (name == null && tokens.isEmpty()) {
                    name = atom;
                    continue;
                }
                tokens.add(atom);
                continue;
            }
            if (name == null) {
                throw new BadCommand("Expected a command name.");
            }
        }
        if (name == null) {
            throw new BadCommand("Empty command.");
        }
        return new CommandLine(name.toUpperCase(java.util.Locale.ROOT), List.copyOf(tokens));
    }

    private static int indexOf(byte[] b, byte x, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] b) throws BadCommand {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new BadCommand("Strings must be UTF-8.");
        }
    }
}
