package dev.mailkit.imap.internal.protocol;

import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.Command;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Feeds exact bytes to a CommandReader + CommandParser and records the continuation requests sent. */
final class ParserHarness {
    final CommandReader reader;
    final CommandParser parser;
    int continuations;
    CommandParser.Gate gate = name -> { };

    ParserHarness(String input) {
        this(input.getBytes(StandardCharsets.ISO_8859_1));
    }

    ParserHarness(byte[] input) {
        reader = new CommandReader(new ByteArrayInputStream(input), () -> continuations++);
        parser = new CommandParser(reader, MessageSpool.temporary(), 1024 * 1024);
        reader.setLimits(64 * 1024, 64 * 1024, 1024 * 1024, 1024 * 1024);
    }

    ParserHarness limits(int line, long literal, long command, long drain) {
        reader.setLimits(line, literal, command, drain);
        return this;
    }

    Command next() throws ParseException, IOException {
        return parser.next(gate);
    }

    /** Parses one command, expecting success. */
    static Command parse(String line) throws Exception {
        ParserHarness h = new ParserHarness(line);
        Command c = h.next();
        if (c == null) {
            throw new AssertionError("no command");
        }
        return c;
    }

    /** Parses one command, expecting a ParseException. */
    static ParseException fail(String line) throws Exception {
        ParserHarness h = new ParserHarness(line);
        try {
            Command c = h.next();
            throw new AssertionError("expected a parse error, got " + c);
        } catch (ParseException e) {
            return e;
        }
    }
}
