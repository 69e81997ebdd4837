package dev.mailkit.imap.internal.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.Command;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the IMAP command reader and parser (lines, literals and their limits, the token grammar,
 * FETCH/SEARCH/LIST/STORE/APPEND arguments) as a session drives them: the next command, or a refusal followed by
 * {@link CommandReader#skipCommand()}. Properties: only {@link ParseException} or an end-of-input
 * {@link IOException} escapes; a continuation request is sent only for an announced literal; the line buffer
 * never grows past the line limit; every refusal carries a message; the loop always makes progress (at most one
 * command or refusal per input line) and ends. The first byte chooses the limits of a session before or after login.
 */
class CommandParserFuzzTest {
    @FuzzTest
    void commands(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        boolean loggedIn = (input[0] & 1) != 0;
        int maxLine = loggedIn ? 8192 : 1024;
        long maxLiteral = loggedIn ? 4096 : 64;
        long maxCommand = loggedIn ? 16384 : 2 * maxLiteral + maxLine;
        long drain = loggedIn ? 16384 : maxLiteral;
        byte[] wire = Arrays.copyOfRange(input, 1, input.length);
        int[] continuations = {0};
        CommandReader reader = new CommandReader(new ByteArrayInputStream(wire), () -> continuations[0]++);
        reader.setLimits(maxLine, maxLiteral, maxCommand, drain);
        try {
            MessageSpool spool = MessageSpool.temporary();
            CommandParser parser = new CommandParser(reader, spool, 2048);
            parser.tokens().setMaxDepth(20);
            int lines = 1;
            for (byte b : wire) {
                if (b == '\n') {
                    lines++;
                }
            }
            int steps = 0;
            while (true) {
                assertThat(++steps).as("commands and refusals for %d lines", lines).isLessThanOrEqualTo(lines + 1);
                Command c;
                try {
                    c = parser.next(name -> { });
                } catch (ParseException e) {
                    assertThat(e.getMessage()).isNotBlank();
                    assertThat(reader.lineCapacity()).isLessThanOrEqualTo(maxLine + 1);
                    if (!reader.skipCommand()) {
                        break;
                    }
                    continue;
                } catch (EOFException e) {
                    break;
                }
                assertThat(reader.lineCapacity()).isLessThanOrEqualTo(maxLine + 1);
                if (c == null) {
                    break;
                }
                if (!(c instanceof CommandParser.Empty)) {
                    assertThat(c.tag()).isNotEmpty();
                }
                if (c instanceof AppendCommand a) {
                    a.close();
                }
            }
        } catch (EOFException e) {
            // the input ended inside a literal being skipped
        }
        int announced = 0;
        for (int i = 0; i + 1 < wire.length; i++) {
            if (wire[i] == '}' && (wire[i + 1] == '\n' || wire[i + 1] == '\r')) {
                announced++;
            }
        }
        assertThat(continuations[0]).as("continuation requests, for %d literals announced", announced)
                .isLessThanOrEqualTo(announced);
    }
}
