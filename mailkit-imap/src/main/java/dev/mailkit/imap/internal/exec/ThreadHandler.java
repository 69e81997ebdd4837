package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.command.ThreadCommand;
import dev.mailkit.imap.internal.message.EnvelopeFields;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.search.BaseSubject;
import dev.mailkit.imap.internal.search.SortKeys;
import dev.mailkit.imap.internal.search.Threader;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.imap.internal.store.StoreMessage;
import dev.mailkit.store.mime.PartContent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * THREAD and UID THREAD (RFC 5256): the matching messages' Message-ID, References (or In-Reply-To), base subject and
 * sent date, threaded by {@link Threader}.
 */
final class ThreadHandler implements CommandHandler<ThreadCommand> {
    @Override
    public void handle(ThreadCommand c, ImapSession s) throws IOException {
        SearchRun.Hits hits = SearchRun.run(s, c.key());
        List<Threader.Message> messages = new ArrayList<>(hits.seqs().length);
        for (int i = 0; i < hits.seqs().length; i++) {
            StoreMessage m = hits.messages().get(i);
            EnvelopeFields e = m.envelope();
            List<String> refs = c.algorithm() == ThreadCommand.Algorithm.ORDEREDSUBJECT ? List.of() : references(m);
            if (refs.isEmpty() && e.inReplyTo() != null && c.algorithm() != ThreadCommand.Algorithm.ORDEREDSUBJECT) {
                List<String> irt = messageIds(e.inReplyTo());
                refs = irt.isEmpty() ? List.of() : List.of(irt.get(0));
            }
            List<String> own = messageIds(e.messageId());
            messages.add(new Threader.Message(c.uid() ? m.uid() : hits.seqs()[i], own.isEmpty() ? null : own.get(0),
                    refs, BaseSubject.of(e.subject()), BaseSubject.isReplyOrForward(e.subject()),
                    SortKeys.sentDate(m)));
        }
        List<Threader.Node> roots = switch (c.algorithm()) {
            case ORDEREDSUBJECT -> Threader.orderedSubject(messages);
            case REFERENCES -> Threader.references(messages, true);
            case REFS -> Threader.references(messages, false);
        };
        StringBuilder sb = new StringBuilder(16 + 8 * messages.size());
        sb.append("* THREAD ");
        Threader.write(roots, sb);
        s.out().ascii(sb.toString()).crlf();
        s.complete(c, null, "Thread completed");
    }

    /** The msg-ids of the References: field (empty if there is none). */
    private static List<String> references(StoreMessage m) throws IOException {
        MimePart root = m.structure();
        try (MessageSource content = m.content()) {
            for (PartContent.HeaderField f : PartContent.headerFields(content, root.headerOffset(), root.bodyOffset())) {
                if (f.name().equalsIgnoreCase("References")) {
                    return messageIds(f.value());
                }
            }
        }
        return List.of();
    }

    /** The "<...>" tokens of a field, brackets kept (comments and other text skipped). */
    static List<String> messageIds(String v) {
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < v.length()) {
            int open = v.indexOf('<', i);
            if (open < 0) {
                break;
            }
            int close = v.indexOf('>', open + 1);
            if (close < 0) {
                break;
            }
            String id = v.substring(open, close + 1);
            if (id.length() > 2 && id.indexOf(' ') < 0) {
                out.add(id);
            }
            i = close + 1;
        }
        return out;
    }
}
