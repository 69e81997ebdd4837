package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.command.PartialRange;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.message.MessageFlags;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ResponsesTest {
    @Test
    void selectResponses() throws Exception {
        assertThat(Render.of(w -> Responses.flags(w, List.of("$Forwarded"))))
                .isEqualTo("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n");
        assertThat(Render.of(w -> Responses.permanentFlags(w, List.of(), true, false)))
                .isEqualTo("* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n");
        assertThat(Render.of(w -> Responses.permanentFlags(w, List.of(), true, true)))
                .isEqualTo("* OK [PERMANENTFLAGS ()] Read-only mailbox\r\n");
        assertThat(Render.of(w -> {
            Responses.exists(w, 3);
            Responses.recent(w, 0);
            Responses.okCode(w, "UIDVALIDITY", 1795811280L, "UIDs valid");
        })).isEqualTo("* 3 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1795811280] UIDs valid\r\n");
    }

    @Test
    void listAndStatus() throws Exception {
        assertThat(Render.of(w -> Responses.list(w, false, List.of("\\HasNoChildren", "\\Sent"), '/', "Gesendete "
                + "Elemente \u00fc", List.of()))).isEqualTo("* LIST (\\HasNoChildren \\Sent) \"/\" \"Gesendete Elemente "
                + "&APw-\"\r\n");
        assertThat(Render.of(w -> Responses.list(w, false, List.of(), '/', "Foo", List.of("SUBSCRIBED"))))
                .isEqualTo("* LIST () \"/\" Foo (CHILDINFO (\"SUBSCRIBED\"))\r\n");
        Map<StatusItem, Long> v = new EnumMap<>(StatusItem.class);
        v.put(StatusItem.MESSAGES, 4L);
        v.put(StatusItem.UIDNEXT, 9L);
        assertThat(Render.of(w -> Responses.status(w, "INBOX", List.of(StatusItem.UIDNEXT, StatusItem.MESSAGES), v)))
                .isEqualTo("* STATUS INBOX (UIDNEXT 9 MESSAGES 4)\r\n");
    }

    @Test
    void searchAndEsearch() throws Exception {
        long[] hits = {2, 3, 4, 8, 10, 11};
        assertThat(Render.of(w -> Responses.search(w, hits, 6, 0))).isEqualTo("* SEARCH 2 3 4 8 10 11\r\n");
        assertThat(Render.of(w -> Responses.search(w, hits, 0, 0))).isEqualTo("* SEARCH\r\n");
        assertThat(Render.of(w -> Responses.search(w, hits, 2, 917))).isEqualTo("* SEARCH 2 3 (MODSEQ 917)\r\n");
        assertThat(Render.of(w -> Responses.esearch(w, "a1", true, Set.of(), null, hits, 6, 0)))
                .isEqualTo("* ESEARCH (TAG \"a1\") UID ALL 2:4,8,10:11\r\n");
        assertThat(Render.of(w -> Responses.esearch(w, "a1", false, Set.of(SearchReturn.MIN, SearchReturn.MAX,
                SearchReturn.COUNT), null, hits, 6, 0))).isEqualTo("* ESEARCH (TAG \"a1\") MIN 2 MAX 11 COUNT 6\r\n");
        assertThat(Render.of(w -> Responses.esearch(w, "a1", false, Set.of(SearchReturn.MIN, SearchReturn.COUNT),
                null, hits, 0, 0))).isEqualTo("* ESEARCH (TAG \"a1\") COUNT 0\r\n");
        // RFC 5267 PARTIAL: positions from 1, ascending runs as ranges, NIL beyond the end; ALL before COUNT
        assertThat(Render.of(w -> Responses.esearch(w, "a1", true, Set.of(SearchReturn.PARTIAL, SearchReturn.COUNT),
                new PartialRange(5, 2), hits, 6, 0))).isEqualTo("* ESEARCH (TAG \"a1\") UID PARTIAL (2:5 3:4,8,10) COUNT 6\r\n");
        assertThat(Render.of(w -> Responses.esearch(w, "a1", true, Set.of(SearchReturn.PARTIAL),
                new PartialRange(7, 9), hits, 6, 0))).isEqualTo("* ESEARCH (TAG \"a1\") UID PARTIAL (7:9 NIL)\r\n");
        assertThat(Render.of(w -> Responses.esearch(w, "a1", false, Set.of(SearchReturn.ALL, SearchReturn.COUNT),
                null, hits, 2, 0))).isEqualTo("* ESEARCH (TAG \"a1\") ALL 2:3 COUNT 2\r\n");
    }

    @Test
    void flagUpdates() throws Exception {
        assertThat(Render.of(w -> Responses.flagUpdate(w, 4, MessageFlags.of(MessageFlags.SEEN, List.of()), 12, 99)))
                .isEqualTo("* 4 FETCH (UID 12 FLAGS (\\Seen) MODSEQ (99))\r\n");
        assertThat(Render.of(w -> Responses.flagUpdate(w, 4, MessageFlags.NONE, 0, 0)))
                .isEqualTo("* 4 FETCH (FLAGS ())\r\n");
    }
}
