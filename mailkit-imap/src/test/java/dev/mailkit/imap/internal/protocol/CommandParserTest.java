package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.command.BodySection;
import dev.mailkit.imap.internal.command.CapabilityCommand;
import dev.mailkit.imap.internal.command.CloseCommand;
import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.CopyCommand;
import dev.mailkit.imap.internal.command.CreateCommand;
import dev.mailkit.imap.internal.command.EnableCommand;
import dev.mailkit.imap.internal.command.ExpungeCommand;
import dev.mailkit.imap.internal.command.FetchAttribute;
import dev.mailkit.imap.internal.command.FetchCommand;
import dev.mailkit.imap.internal.command.SortCommand;
import dev.mailkit.imap.internal.command.SortCriterion;
import dev.mailkit.imap.internal.command.ThreadCommand;
import dev.mailkit.imap.internal.command.IdCommand;
import dev.mailkit.imap.internal.command.ListCommand;
import dev.mailkit.imap.internal.command.LoginCommand;
import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.command.QuotaCommand;
import dev.mailkit.imap.internal.command.RenameCommand;
import dev.mailkit.imap.internal.command.SearchCommand;
import dev.mailkit.imap.internal.command.SearchKey;
import dev.mailkit.imap.internal.command.SearchReturn;
import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.command.SequenceSet;
import dev.mailkit.imap.internal.command.StatusCommand;
import dev.mailkit.imap.internal.command.StatusItem;
import dev.mailkit.imap.internal.command.StoreCommand;
import dev.mailkit.imap.internal.command.SubscribeCommand;
import dev.mailkit.imap.internal.message.MessageFlags;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.mailkit.imap.internal.protocol.ParserHarness.fail;
import static dev.mailkit.imap.internal.protocol.ParserHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

class CommandParserTest {
    @Test
    void sortAndThreadArgumentsAndHostileOnes() throws Exception {
        SortCommand s = (SortCommand) parse("a UID SORT RETURN (MIN COUNT) (REVERSE DATE SUBJECT DISPLAYFROM) "
                + "utf-8 FROM ann UNSEEN\r\n");
        assertThat(s.uid()).isTrue();
        assertThat(s.returns()).containsExactlyInAnyOrder(SearchReturn.MIN, SearchReturn.COUNT);
        assertThat(s.criteria()).containsExactly(new SortCriterion(SortCriterion.Key.DATE, true),
                new SortCriterion(SortCriterion.Key.SUBJECT, false),
                new SortCriterion(SortCriterion.Key.DISPLAYFROM, false));
        assertThat(((ThreadCommand) parse("a THREAD REFS US-ASCII ALL\r\n")).algorithm())
                .isEqualTo(ThreadCommand.Algorithm.REFS);
        assertThat(fail("a SORT (FROB) UTF-8 ALL\r\n").getMessage()).contains("FROB");
        assertThat(fail("a SORT () UTF-8 ALL\r\n").getMessage()).contains("Empty");
        assertThat(fail("a SORT (REVERSE) UTF-8 ALL\r\n").getMessage()).contains("REVERSE");
        assertThat(fail("a SORT (DATE) UTF-8\r\n").getMessage()).contains("Missing");
        assertThat(fail("a SORT (DATE) KOI8-R ALL\r\n").kind()).isEqualTo(ParseException.Kind.NO);
        assertThat(fail("a SORT (" + "DATE ".repeat(1000) + "SIZE) UTF-8 ALL\r\n").getMessage())
                .contains("too many");
        assertThat(fail("a SORT (DATE) UTF-8 " + "(".repeat(10_000) + "ALL" + ")".repeat(10_000) + "\r\n").kind())
                .isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a SORT RETURN (FROB) (DATE) UTF-8 ALL\r\n").getMessage()).contains("FROB");
        assertThat(fail("a THREAD JWZ UTF-8 ALL\r\n").getMessage()).contains("JWZ");
        assertThat(fail("a THREAD REFERENCES UTF-8\r\n").getMessage()).contains("Missing");
        assertThat(fail("a THREAD\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
    }

    @Test
    void simpleCommandsInAnyCase() throws Exception {
        assertThat(parse("a1 CAPABILITY\r\n")).isEqualTo(new CapabilityCommand("a1"));
        assertThat(parse("a2 noop\r\n")).isEqualTo(new NoopCommand("a2", "NOOP"));
        assertThat(parse("x.y check\n")).isEqualTo(new NoopCommand("x.y", "CHECK"));
        assertThat(parse("t UNSELECT\r\n")).isEqualTo(new CloseCommand("t", false));
        assertThat(parse("t Close\r\n")).isEqualTo(new CloseCommand("t", true));
        assertThat(parse("t EXPUNGE\r\n")).isEqualTo(new ExpungeCommand("t", null));
    }

    @Test
    void loginWithAtomsQuotedStringsAndLiterals() throws Exception {
        assertThat(parse("a LOGIN joe secret\r\n")).isEqualTo(new LoginCommand("a", "joe", "secret"));
        assertThat(parse("a LOGIN \"joe@x\" \"pa\\\"ss\\\\word\"\r\n"))
                .isEqualTo(new LoginCommand("a", "joe@x", "pa\"ss\\word"));
        ParserHarness h = new ParserHarness("a LOGIN {3}\r\njoe {6}\r\nsecret\r\n");
        assertThat(h.next()).isEqualTo(new LoginCommand("a", "joe", "secret"));
        assertThat(h.continuations).isEqualTo(2);
        ParserHarness plus = new ParserHarness("a LOGIN {3+}\r\njoe {6+}\r\nsecret\r\nb NOOP\r\n");
        assertThat(plus.next()).isEqualTo(new LoginCommand("a", "joe", "secret"));
        assertThat(plus.continuations).isZero();
        assertThat(plus.next()).isEqualTo(new NoopCommand("b", "NOOP"));
        assertThat(parse("a LOGIN \"\" {0}\r\n\r\n")).isEqualTo(new LoginCommand("a", "", ""));
        assertThat(parse("a LOGIN \"j\u00f6rg\" x\r\n".replace("\u00f6", "\u00c3\u00b6")))
                .isEqualTo(new LoginCommand("a", "j\u00f6rg", "x"));
        assertThat(parse("a login joe secret\r\n").toString()).doesNotContain("secret");
    }

    @Test
    void syntaxErrorsAreTaggedBad() throws Exception {
        ParseException e = fail("a1 LOGIN joe\r\n");
        assertThat(e.tag()).isEqualTo("a1");
        assertThat(e.kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a1 FROB\r\n").getMessage()).contains("unknown command");
        assertThat(fail("a1 FROB\r\n").tag()).isEqualTo("a1");
        assertThat(fail("a1 NOOP extra\r\n").tag()).isEqualTo("a1");
        assertThat(fail("a1 LOGIN \"unterminated\r\n").getMessage()).contains("unterminated");
        assertThat(fail("a1 LOGIN \"bad\\escape\" x\r\n").getMessage()).contains("escape");
        assertThat(fail("a1 UID FROB 1\r\n").getMessage()).contains("UID FROB");
        assertThat(fail("+tag NOOP\r\n").tag()).isNull();
        assertThat(fail("NOOP\r\n").tag()).isNull();
        assertThat(fail("a1  NOOP\r\n").tag()).isEqualTo("a1");
        assertThat(fail("a1 LOGIN {5\r\n").tag()).isEqualTo("a1");
        assertThat(fail("a1 LOGIN {5} x\r\n").tag()).isEqualTo("a1");
    }

    @Test
    void emptyLinesAreIgnored() throws Exception {
        ParserHarness h = new ParserHarness("\r\na NOOP\r\n");
        assertThat(h.next()).isInstanceOf(CommandParser.Empty.class);
        assertThat(h.next()).isEqualTo(new NoopCommand("a", "NOOP"));
        assertThat(h.next()).isNull();
    }

    @Test
    void authenticateWithAndWithoutInitialResponse() throws Exception {
        assertThat(parse("a AUTHENTICATE plain\r\n")).isEqualTo(new AuthenticateCommand("a", "PLAIN", null));
        assertThat(parse("a AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n"))
                .isEqualTo(new AuthenticateCommand("a", "PLAIN", "AGpvZQBzZWNyZXQ="));
        assertThat(parse("a AUTHENTICATE PLAIN =\r\n")).isEqualTo(new AuthenticateCommand("a", "PLAIN", ""));
        assertThat(parse("a AUTHENTICATE PLAIN AGpvZQBzZWNyZXQ=\r\n").toString()).doesNotContain("AGpv");
    }

    @Test
    void selectExamineAndMailboxNames() throws Exception {
        assertThat(parse("a SELECT inbox\r\n")).isEqualTo(new SelectCommand("a", "INBOX", false, false));
        assertThat(parse("a EXAMINE \"Sent Items\" (CONDSTORE)\r\n"))
                .isEqualTo(new SelectCommand("a", "Sent Items", true, true));
        assertThat(parse("a SELECT &ZeVnLIqe-\r\n")).isEqualTo(new SelectCommand("a", "\u65e5\u672c\u8a9e", false,
                false));
        assertThat(parse("a SELECT \"a&-b\"\r\n")).isEqualTo(new SelectCommand("a", "a&b", false, false));
        // not valid modified UTF-7: NO (a name no mailbox can have), not BAD, as Dovecot answers
        assertThat(fail("a SELECT &Jjo\r\n")).extracting(ParseException::kind, ParseException::getMessage)
                .containsExactly(ParseException.Kind.NO, "Mailbox name is not valid mUTF-7");
        assertThat(fail("a SELECT \"\u00c3\u00a9t\u00c3\u00a9\"\r\n").kind()).isEqualTo(ParseException.Kind.NO);
        assertThat(parse("a SELECT INBOX (QRESYNC (1 2))\r\n")).isEqualTo(new SelectCommand("a", "INBOX", false,
                false, new SelectCommand.Qresync(1, 2, null)));
        SelectCommand q = (SelectCommand) parse("a EXAMINE INBOX (CONDSTORE QRESYNC (67890007 90060115194045000 "
                + "41,43:211,214:541 (1:5 41,43:46)))\r\n");
        assertThat(q.qresync().knownUids().toString()).isEqualTo("41,43:211,214:541");
        assertThat(q.qresync().modSeq()).isEqualTo(90060115194045000L);
        assertThat(((SelectCommand) parse("a SELECT INBOX (QRESYNC (1 2 (1:2 3:4)))\r\n")).qresync().knownUids())
                .isNull();
        // hostile and broken parameters: BAD, with the reason
        assertThat(fail("a SELECT INBOX (QRESYNC (0 2))\r\n").getMessage()).contains("0");
        assertThat(fail("a SELECT INBOX (QRESYNC (4294967296 2))\r\n").getMessage()).contains("too large");
        assertThat(fail("a SELECT INBOX (QRESYNC (1 99999999999999999999))\r\n").getMessage()).contains("large");
        assertThat(fail("a SELECT INBOX (QRESYNC (1))\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a SELECT INBOX (QRESYNC (1 2 1:*:3))\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a SELECT INBOX (QRESYNC (1 2 1:5 (1:2)))\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a SELECT INBOX (QRESYNC (1 2) QRESYNC (1 2))\r\n").getMessage()).contains("QRESYNC");
        assertThat(fail("a SELECT INBOX (QRESYNC ((((1 2))))\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        // a long known-UID list is legal: it is read in linear time and kept as ranges
        assertThat(((SelectCommand) parse("a SELECT INBOX (QRESYNC (1 2 " + "7,".repeat(20_000) + "9))\r\n"))
                .qresync().knownUids().resolve(10)).containsExactly(7, 7, 9, 9);
        assertThat(parse("a CREATE Archive/2024\r\n")).isEqualTo(new CreateCommand("a", "Archive/2024", List.of()));
        assertThat(parse("a CREATE Sent (USE (\\Sent))\r\n"))
                .isEqualTo(new CreateCommand("a", "Sent", List.of("\\Sent")));
        assertThat(parse("a RENAME a b\r\n")).isEqualTo(new RenameCommand("a", "a", "b"));
        assertThat(parse("a UNSUBSCRIBE x\r\n")).isEqualTo(new SubscribeCommand("a", "x", false));
    }

    @Test
    void listInAllItsForms() throws Exception {
        assertThat(parse("a LIST \"\" *\r\n")).isEqualTo(new ListCommand("a", false, Set.of(), "", List.of("*"),
                Set.of(), List.of(), false));
        assertThat(parse("a LIST \"\" %/%\r\n")).isEqualTo(new ListCommand("a", false, Set.of(), "",
                List.of("%/%"), Set.of(), List.of(), false));
        assertThat(parse("a LSUB \"\" \"*\"\r\n")).isEqualTo(new ListCommand("a", true, Set.of(), "",
                List.of("*"), Set.of(), List.of(), false));
        ListCommand l = (ListCommand) parse("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX \"Sent*\") "
                + "RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n");
        assertThat(l.selection()).containsExactlyInAnyOrder(ListCommand.Selection.SUBSCRIBED,
                ListCommand.Selection.RECURSIVEMATCH);
        assertThat(l.patterns()).containsExactly("INBOX", "Sent*");
        assertThat(l.returns()).containsExactlyInAnyOrder(ListCommand.Return.CHILDREN,
                ListCommand.Return.SPECIAL_USE, ListCommand.Return.STATUS);
        assertThat(l.statusItems()).containsExactly(StatusItem.MESSAGES, StatusItem.UNSEEN);
        assertThat(l.extended()).isTrue();
        assertThat(((ListCommand) parse("a LIST () \"\" % RETURN ()\r\n")).extended()).isTrue();
        assertThat(fail("a LIST (RECURSIVEMATCH) \"\" *\r\n").getMessage()).contains("RECURSIVEMATCH");
        assertThat(fail("a LIST (FROB) \"\" *\r\n").getMessage()).contains("FROB");
        assertThat(fail("a LIST \"\" * RETURN (FROB)\r\n").getMessage()).contains("FROB");
    }

    @Test
    void status() throws Exception {
        assertThat(parse("a STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT HIGHESTMODSEQ SIZE)\r\n"))
                .isEqualTo(new StatusCommand("a", "INBOX", List.of(StatusItem.MESSAGES, StatusItem.RECENT,
                        StatusItem.UIDNEXT, StatusItem.UIDVALIDITY, StatusItem.UNSEEN, StatusItem.HIGHESTMODSEQ,
                        StatusItem.SIZE)));
        assertThat(fail("a STATUS INBOX (FROB)\r\n").getMessage()).contains("FROB");
        assertThat(fail("a STATUS INBOX ()\r\n").tag()).isEqualTo("a");
    }

    @Test
    void fetchItemsAndMacros() throws Exception {
        FetchCommand f = (FetchCommand) parse("a FETCH 1:* (UID FLAGS RFC822.SIZE)\r\n");
        assertThat(f.set()).isEqualTo(SequenceSet.of(1, SequenceSet.STAR));
        assertThat(f.request().items()).containsExactly(FetchAttribute.UID, FetchAttribute.FLAGS,
                FetchAttribute.RFC822_SIZE);
        assertThat(f.changedSince()).isEqualTo(-1);
        assertThat(((FetchCommand) parse("a FETCH 1 ALL\r\n")).request().items()).containsExactly(
                FetchAttribute.FLAGS, FetchAttribute.INTERNALDATE, FetchAttribute.RFC822_SIZE,
                FetchAttribute.ENVELOPE);
        assertThat(((FetchCommand) parse("a FETCH 1 fast\r\n")).request().items()).hasSize(3);
        assertThat(((FetchCommand) parse("a FETCH 1 FULL\r\n")).request().items()).contains(FetchAttribute.BODY);
        assertThat(((FetchCommand) parse("a FETCH 1 envelope\r\n")).request().items())
                .containsExactly(FetchAttribute.ENVELOPE);

        FetchCommand s = (FetchCommand) parse("a UID FETCH 5,7:9 (BODY.PEEK[HEADER.FIELDS (From to)]<0.100> "
                + "BODY[1.2.MIME] BODY[TEXT] BODY[] BODY[3] RFC822.HEADER MODSEQ) (CHANGEDSINCE 12345)\r\n");
        assertThat(s.uid()).isTrue();
        assertThat(s.changedSince()).isEqualTo(12345);
        List<?> items = s.request().items();
        assertThat(items.get(0)).isEqualTo(new BodySection(BodySection.Kind.BODY, true, List.of(),
                BodySection.Text.HEADER_FIELDS, List.of("FROM", "TO"), 0, 100));
        assertThat(((BodySection) items.get(0)).responseName()).isEqualTo("BODY[HEADER.FIELDS (FROM TO)]<0>");
        assertThat(items.get(1)).isEqualTo(new BodySection(BodySection.Kind.BODY, false, List.of(1, 2),
                BodySection.Text.MIME, List.of(), -1, -1));
        assertThat(((BodySection) items.get(1)).responseName()).isEqualTo("BODY[1.2.MIME]");
        assertThat(((BodySection) items.get(2)).text()).isEqualTo(BodySection.Text.TEXT);
        assertThat(((BodySection) items.get(3)).responseName()).isEqualTo("BODY[]");
        assertThat(((BodySection) items.get(4)).part()).containsExactly(3);
        assertThat(s.request().setsSeen()).isTrue();
        assertThat(((FetchCommand) parse("a FETCH 1 (BODY.PEEK[1.HEADER.FIELDS.NOT (Received)])\r\n"))
                .request().setsSeen()).isFalse();
        assertThat(((FetchCommand) parse("a FETCH 1 BINARY.PEEK[1]\r\n")).request().items().get(0))
                .isEqualTo(new BodySection(BodySection.Kind.BINARY, true, List.of(1), BodySection.Text.NONE,
                        List.of(), -1, -1));
        assertThat(fail("a FETCH 1 BODY[MIME]\r\n").getMessage()).contains("MIME");
        assertThat(fail("a FETCH 1 (FROB)\r\n").getMessage()).contains("FROB");
        assertThat(fail("a FETCH 1 (ALL)\r\n").getMessage()).contains("macro");
        assertThat(fail("a FETCH 0 FLAGS\r\n").getMessage()).contains("0");
        assertThat(fail("a FETCH 1 BODY[1.FROB]\r\n").getMessage()).contains("FROB");
        assertThat(fail("a FETCH 1 FLAGS (VANISHED)\r\n").getMessage()).contains("VANISHED needs UID FETCH");
        assertThat(fail("a UID FETCH 1 FLAGS (VANISHED)\r\n").getMessage()).contains("CHANGEDSINCE");
        assertThat(((FetchCommand) parse("a UID FETCH 1:* FLAGS (CHANGEDSINCE 5 VANISHED)\r\n")).vanished())
                .isTrue();
        assertThat(fail("a FETCH 99999999999 FLAGS\r\n").getMessage()).contains("too large");
    }

    @Test
    void searchKeysNestedWithCharsetAndReturnOptions() throws Exception {
        SearchCommand s = (SearchCommand) parse("a UID SEARCH RETURN (MIN MAX COUNT) CHARSET utf-8 "
                + "OR (FROM \"joe\" SUBJECT {3}\r\nabc) NOT SEEN 1:5 UID 3:* SINCE 1-Feb-2024 "
                + "HEADER X-Foo bar LARGER 10 KEYWORD $Junk NEW MODSEQ 7 YOUNGER 60\r\n");
        assertThat(s.uid()).isTrue();
        assertThat(s.charset()).isEqualTo("UTF-8");
        assertThat(s.returns()).containsExactlyInAnyOrder(SearchReturn.MIN, SearchReturn.MAX, SearchReturn.COUNT);
        List<SearchKey> keys = ((SearchKey.And) s.key()).keys();
        assertThat(keys.get(0)).isEqualTo(new SearchKey.Or(new SearchKey.And(List.of(
                new SearchKey.Header("FROM", "joe"), new SearchKey.Header("SUBJECT", "abc"))),
                new SearchKey.Not(new SearchKey.Flag(MessageFlags.SEEN, true))));
        assertThat(keys.get(1)).isEqualTo(new SearchKey.Sequence(SequenceSet.of(1, 5), false));
        assertThat(keys.get(2)).isEqualTo(new SearchKey.Sequence(SequenceSet.of(3, SequenceSet.STAR), true));
        assertThat(keys.get(3)).isEqualTo(new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.SINCE,
                LocalDate.of(2024, 2, 1)));
        assertThat(keys.get(4)).isEqualTo(new SearchKey.Header("X-FOO", "bar"));
        assertThat(keys.get(5)).isEqualTo(new SearchKey.Size(true, 10));
        assertThat(keys.get(6)).isEqualTo(new SearchKey.Keyword("$Junk", true));
        assertThat(keys.get(7)).isEqualTo(new SearchKey.And(List.of(new SearchKey.Flag(MessageFlags.RECENT, true),
                new SearchKey.Flag(MessageFlags.SEEN, false))));
        assertThat(keys.get(8)).isEqualTo(new SearchKey.ModSeq(7));
        assertThat(keys.get(9)).isEqualTo(new SearchKey.Within(false, 60));

        assertThat(((SearchCommand) parse("a SEARCH ALL\r\n")).key()).isEqualTo(new SearchKey.All());
        assertThat(((SearchCommand) parse("a SEARCH ALL\r\n")).returns()).isNull();
        assertThat(((SearchCommand) parse("a SEARCH RETURN () ALL\r\n")).returns()).isEmpty();
        assertThat(((SearchCommand) parse("a SEARCH SENTBEFORE \"5-Mar-2023\" ON 05-mar-2023\r\n")).key())
                .isEqualTo(new SearchKey.And(List.of(
                        new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.DateOp.BEFORE, LocalDate.of(2023, 3, 5)),
                        new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.DateOp.ON,
                                LocalDate.of(2023, 3, 5)))));
        assertThat(((SearchCommand) parse("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338\r\n")).key())
                .isEqualTo(new SearchKey.ModSeq(620162338));
        assertThat(((SearchCommand) parse("a SEARCH TEXT \"\u00c3\u00a9t\u00c3\u00a9\"\r\n")).key())
                .isEqualTo(new SearchKey.Text(false, "\u00e9t\u00e9"));

        ParseException charset = fail("a SEARCH CHARSET ISO-2022-JP ALL\r\n");
        assertThat(charset.kind()).isEqualTo(ParseException.Kind.NO);
        assertThat(charset.code()).isEqualTo("BADCHARSET (UTF-8 US-ASCII)");
        assertThat(fail("a SEARCH FROB\r\n").getMessage()).contains("FROB");
        assertThat(fail("a SEARCH SINCE 30-Feb-2024\r\n").getMessage()).contains("date");
        assertThat(fail("a SEARCH (ALL\r\n").tag()).isEqualTo("a");
        assertThat(fail("a SEARCH\r\n").tag()).isEqualTo("a");
        assertThat(((SearchCommand) parse("a SEARCH RETURN (SAVE) ALL\r\n")).returns())
                .containsExactly(SearchReturn.SAVE);
        assertThat(((SearchCommand) parse("a UID SEARCH $ UID $\r\n")).key()).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Sequence(SequenceSet.SAVED, false), new SearchKey.Sequence(SequenceSet.SAVED, true))));
        assertThat(fail("a SEARCH $,1\r\n").kind()).isEqualTo(ParseException.Kind.BAD);
        assertThat(fail("a FETCH 1:$ UID\r\n").getMessage()).contains("$");
    }

    @Test
    void storeForms() throws Exception {
        assertThat(parse("a STORE 1:3 +FLAGS.SILENT (\\Seen $Label)\r\n")).isEqualTo(new StoreCommand("a", false,
                SequenceSet.of(1, 3), -1, StoreCommand.Action.ADD, true,
                MessageFlags.of(MessageFlags.SEEN, List.of("$Label"))));
        assertThat(parse("a UID STORE 1 (UNCHANGEDSINCE 12) FLAGS \\Deleted \\seen\r\n")).isEqualTo(
                new StoreCommand("a", true, SequenceSet.of(1, 1), 12, StoreCommand.Action.REPLACE, false,
                        MessageFlags.of(MessageFlags.DELETED | MessageFlags.SEEN, List.of())));
        assertThat(parse("a STORE * -flags ()\r\n")).isEqualTo(new StoreCommand("a", false,
                SequenceSet.of(SequenceSet.STAR, SequenceSet.STAR), -1, StoreCommand.Action.REMOVE, false,
                MessageFlags.NONE));
        assertThat(fail("a STORE 1 +FLAGS (\\Recent)\r\n").getMessage()).contains("Recent");
        assertThat(fail("a STORE 1 +FLAGS (\\Frob)\r\n").getMessage()).contains("\\Frob");
        assertThat(fail("a STORE 1 +LABELS (x)\r\n").getMessage()).contains("LABELS");
    }

    @Test
    void copyMoveExpunge() throws Exception {
        assertThat(parse("a UID MOVE 1:5 Trash\r\n")).isEqualTo(new CopyCommand("a", true, SequenceSet.of(1, 5),
                "Trash", true));
        assertThat(parse("a COPY 2,4 \"Archive/2024\"\r\n")).isEqualTo(new CopyCommand("a", false,
                SequenceSet.of(2, 2, 4, 4), "Archive/2024", false));
        assertThat(parse("a UID EXPUNGE 3:4\r\n")).isEqualTo(new ExpungeCommand("a", SequenceSet.of(3, 4)));
    }

    @Test
    void appendStreamsMessagesAndChecksTheLimitFirst() throws Exception {
        ParserHarness h = new ParserHarness("a APPEND Drafts (\\Draft \\Seen) \" 5-Mar-2024 10:11:12 +0100\" {12}\r\n"
                + "Subject: x\r\n (\\Seen) {5+}\r\nhello\r\n");
        try (AppendCommand a = (AppendCommand) h.next()) {
            assertThat(a.mailbox()).isEqualTo("Drafts");
            assertThat(a.messages()).hasSize(2);
            assertThat(a.messages().get(0).flags()).isEqualTo(MessageFlags.of(MessageFlags.DRAFT | MessageFlags.SEEN,
                    List.of()));
            assertThat(a.messages().get(0).date()).isEqualTo(OffsetDateTime.of(2024, 3, 5, 10, 11, 12, 0,
                    ZoneOffset.ofHours(1)));
            assertThat(a.messages().get(0).content().asString()).isEqualTo("Subject: x\r\n");
            assertThat(a.messages().get(1).content().asString()).isEqualTo("hello");
            assertThat(a.messages().get(1).date()).isNull();
        }
        assertThat(h.continuations).isEqualTo(1);

        ParserHarness big = new ParserHarness("a APPEND INBOX {2000000}\r\nb NOOP\r\n");
        big.parser.setAppendLimit(1_000_000);
        try {
            big.next();
            throw new AssertionError("expected TOOBIG");
        } catch (ParseException e) {
            assertThat(e.kind()).isEqualTo(ParseException.Kind.NO);
            assertThat(e.code()).isEqualTo("TOOBIG");
            assertThat(e.tag()).isEqualTo("a");
        }
        assertThat(big.continuations).isZero();
        assertThat(big.reader.skipCommand()).isTrue();
        assertThat(big.next()).isEqualTo(new NoopCommand("b", "NOOP"));
        assertThat(fail("a APPEND INBOX (\\Seen) \"5-Mar-2024 25:00:00 +0000\" {1}\r\nx\r\n").getMessage())
                .contains("date-time");
    }

    @Test
    void enableIdQuotaNamespace() throws Exception {
        assertThat(parse("a ENABLE CONDSTORE utf8=accept\r\n")).isEqualTo(new EnableCommand("a",
                List.of("CONDSTORE", "UTF8=ACCEPT")));
        assertThat(parse("a ID NIL\r\n")).isEqualTo(new IdCommand("a", Map.of()));
        IdCommand id = (IdCommand) parse("a ID (\"name\" \"Thunderbird\" \"version\" NIL)\r\n");
        assertThat(id.parameters()).containsEntry("name", "Thunderbird").containsEntry("version", null);
        assertThat(parse("a GETQUOTAROOT INBOX\r\n")).isEqualTo(new QuotaCommand("a", QuotaCommand.Kind.GETQUOTAROOT,
                "INBOX", Map.of()));
        assertThat(parse("a SETQUOTA \"\" (STORAGE 512)\r\n")).isEqualTo(new QuotaCommand("a",
                QuotaCommand.Kind.SETQUOTA, "", Map.of("STORAGE", 512L)));
        assertThat(parse("a NAMESPACE\r\n").name()).isEqualTo("NAMESPACE");
    }

    @Test
    void theGateRunsBeforeAnyLiteralIsAskedFor() throws Exception {
        ParserHarness h = new ParserHarness("a APPEND INBOX {5}\r\n");
        h.gate = name -> {
            throw ParseException.bad("Please log in first");
        };
        try {
            h.next();
            throw new AssertionError("expected refusal");
        } catch (ParseException e) {
            assertThat(e.tag()).isEqualTo("a");
            assertThat(e.getMessage()).isEqualTo("Please log in first");
        }
        assertThat(h.continuations).isZero();
        assertThat(h.reader.skipCommand()).isTrue(); // a synchronising literal was never asked for
    }

    @Test
    void commandNamesForReplies() throws Exception {
        Command c = parse("a uid fetch 1 flags\r\n");
        assertThat(c.name()).isEqualTo("UID FETCH");
    }
}
