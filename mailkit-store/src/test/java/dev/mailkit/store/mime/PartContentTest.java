package dev.mailkit.store.mime;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.mime.PartContent.HeaderField;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PartContentTest {

    private static List<HeaderField> fields(String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        int end = message.indexOf("\r\n\r\n");
        return PartContent.headerFields(MessageSource.of(b), 0, end < 0 ? b.length : end + 4);
    }

    @Test
    void unfoldsContinuationLinesAndTrimsValues() throws Exception {
        assertThat(fields("Subject:  a long\r\n\tsubject line \r\nFrom: x@example.org\r\n\r\nbody: not a field\r\n"))
                .containsExactly(new HeaderField("Subject", "a long\tsubject line"),
                        new HeaderField("From", "x@example.org"));
    }

    @Test
    void skipsLinesWithoutAColonAndContinuationsOfThem() throws Exception {
        assertThat(fields("garbage line\r\n continued\r\n: no name\r\nTo: y@example.org\r\n\r\n"))
                .containsExactly(new HeaderField("To", "y@example.org"));
    }

    @Test
    void acceptsBareLineFeedsAndAHeaderWithoutBody() throws Exception {
        assertThat(fields("A: 1\nB: 2\n"))
                .containsExactly(new HeaderField("A", "1"), new HeaderField("B", "2"));
    }

    @Test
    void readsTheRangeOfANestedHeaderOnly() throws Exception {
        String outer = "X: outer\r\n\r\n";
        String inner = "Y: inner\r\n\r\nZ: body\r\n";
        byte[] b = (outer + inner).getBytes(StandardCharsets.UTF_8);
        assertThat(PartContent.headerFields(MessageSource.of(b), outer.length(), outer.length() + 12))
                .containsExactly(new HeaderField("Y", "inner"));
    }

    @Test
    void aHugeHeaderIsReadOnlyUpToTheLimit() throws Exception {
        StringBuilder m = new StringBuilder("First: 1\r\nBig: ");
        m.append("x".repeat(PartContent.MAX_HEADER + 100)).append("\r\nLast: 2\r\n\r\n");
        List<HeaderField> f = fields(m.toString());
        assertThat(f).extracting(HeaderField::name).containsExactly("First", "Big");
        assertThat(f.get(1).value().length()).isLessThan(PartContent.MAX_HEADER);
    }
}
