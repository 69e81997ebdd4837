package dev.mailkit.pop3.internal;

import dev.mailkit.pop3.internal.command.AuthCommand;
import dev.mailkit.pop3.internal.command.CapaCommand;
import dev.mailkit.pop3.internal.command.DeleCommand;
import dev.mailkit.pop3.internal.command.ListCommand;
import dev.mailkit.pop3.internal.command.PassCommand;
import dev.mailkit.pop3.internal.command.RetrCommand;
import dev.mailkit.pop3.internal.command.TopCommand;
import dev.mailkit.pop3.internal.command.UidlCommand;
import dev.mailkit.pop3.internal.command.UserCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandParserTest {
    private static Object parse(String line) throws ParseException {
        return CommandParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void commandsAndArguments() throws ParseException {
        assertThat(parse("USER ann@local.test")).isEqualTo(new UserCommand("ann@local.test"));
        assertThat(parse("user  spaced name")).isEqualTo(new UserCommand(" spaced name"));
        assertThat(parse("PASS a b  c")).isInstanceOf(PassCommand.class);
        assertThat(parse("capa")).isSameAs(CapaCommand.INSTANCE);
        assertThat(parse("LIST")).isEqualTo(new ListCommand(0));
        assertThat(parse("LIST 7")).isEqualTo(new ListCommand(7));
        assertThat(parse("UIDL 0007")).isEqualTo(new UidlCommand(7));
        assertThat(parse("RETR 2")).isEqualTo(new RetrCommand(2));
        assertThat(parse("RETR 2 ")).isEqualTo(new RetrCommand(2));
        assertThat(parse("DELE 3")).isEqualTo(new DeleCommand(3));
        assertThat(parse("TOP 1 10")).isEqualTo(new TopCommand(1, 10));
        assertThat(parse("TOP 1 99999999999999999999")).isEqualTo(new TopCommand(1, Long.MAX_VALUE));
        assertThat(parse("RETR 0")).isEqualTo(new RetrCommand(-1));
        assertThat(parse("RETR 2147483648")).isEqualTo(new RetrCommand(CommandParser.TOO_BIG));
        assertThat(parse("AUTH")).isEqualTo(new AuthCommand(null, null));
        assertThat(parse("AUTH PLAIN")).isEqualTo(new AuthCommand("PLAIN", null));
        assertThat(parse("AUTH PLAIN AGFubgBzZWNyZXQ=")).isEqualTo(new AuthCommand("PLAIN", "AGFubgBzZWNyZXQ="));
        assertThat(parse("USER \u00e4nn@b\u00fccher.example")).isEqualTo(new UserCommand("\u00e4nn@b\u00fccher.example"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X", "XY", "RETRY 1", "R3TR 1", "LISTS", "ÜSER a", " USER a"})
    void unknownCommands(String line) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(ParseException.class).hasMessage("Unknown command");
    }

    @ParameterizedTest
    @ValueSource(strings = {"USER", "USER ", "RETR", "RETR 1 2", "DELE", "TOP 1", "TOP 1 2 3", "LIST 1 2", "UIDL 1 2",
            "STAT 1", "QUIT now", "NOOP x", "RSET x", "CAPA x", "STLS x", "AUTH A B C"})
    void syntaxErrors(String line) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(ParseException.class).hasMessageStartingWith("Syntax: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RETR -1", "RETR +1", "RETR 1.0", "RETR 0x10", "TOP 1 -1", "LIST one", "DELE ١"})
    void numbersAreDecimalDigits(String line) {
        assertThatThrownBy(() -> parse(line)).isInstanceOf(ParseException.class).hasMessageStartingWith("Invalid ");
    }

    @Test
    void controlCharactersAndBadUtf8() {
        for (byte[] line : new byte[][]{{'U', 'S', 'E', 'R', ' ', 0}, {'S', 'T', 'A', 'T', '\r'},
                {'N', 'O', 'O', 'P', 0x7F}, {'P', 'A', 'S', 'S', ' ', 'a', '\t', 'b'}}) {
            assertThatThrownBy(() -> CommandParser.parse(line)).isInstanceOf(ParseException.class)
                    .hasMessage("Control characters are not allowed in commands");
        }
        assertThatThrownBy(() -> CommandParser.parse(new byte[]{'U', 'S', 'E', 'R', ' ', (byte) 0xC3}))
                .isInstanceOf(ParseException.class).hasMessage("Commands must be ASCII or UTF-8");
    }

    @Test
    void parseErrorsNeverQuoteTheInput() {
        assertThatThrownBy(() -> parse("RETR secret-stuff")).hasMessageNotContaining("secret");
        assertThatThrownBy(() -> parse("SECRET")).hasMessageNotContaining("SECRET");
    }
}
