package dev.mailkit.imap.internal.protocol;

import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.command.SequenceSet;

import java.io.IOException;

/** SELECT and EXAMINE with their parameters: CONDSTORE and QRESYNC (RFC 7162 3.1.8, 3.2.5). */
final class SelectParser {
    private SelectParser() {
    }

    /** After the command name: SP mailbox [SP "(" param *(SP param) ")"]. */
    static Command select(ImapParser p, String tag, boolean readOnly) throws ParseException, IOException {
        p.sp();
        String m = p.mailbox();
        boolean condstore = false;
        SelectCommand.Qresync qresync = null;
        if (p.trySp()) {
            p.expect('(');
            do {
                String param = p.keyword();
                if (param.equals("CONDSTORE")) {
                    condstore = true;
                } else if (param.equals("QRESYNC") && qresync == null) {
                    p.sp();
                    qresync = qresync(p);
                } else {
                    throw ParseException.bad("unknown SELECT parameter " + param);
                }
            } while (p.trySp());
            p.expect(')');
        }
        p.end();
        return new SelectCommand(tag, m, readOnly, condstore, qresync);
    }

    /** "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")". */
    private static SelectCommand.Qresync qresync(ImapParser p) throws ParseException {
        p.expect('(');
        long validity = p.nzNumber();
        if (validity > 0xFFFF_FFFFL) {
            throw ParseException.bad("UIDVALIDITY out of range");
        }
        p.sp();
        long modSeq = p.modSequence();
        SequenceSet known = null;
        if (p.trySp()) {
            if (p.peek() == '(') {
                seqMatchData(p);
            } else {
                known = p.sequenceSet();
                if (p.trySp()) {
                    seqMatchData(p);
                }
            }
        }
        p.expect(')');
        return new SelectCommand.Qresync(validity, modSeq, known);
    }

    /** "(" known-sequence-set SP known-uid-set ")": checked for syntax, then not used. */
    private static void seqMatchData(ImapParser p) throws ParseException {
        p.expect('(');
        p.sequenceSet();
        p.sp();
        p.sequenceSet();
        p.expect(')');
    }
}
