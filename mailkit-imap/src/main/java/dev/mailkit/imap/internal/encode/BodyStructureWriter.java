package dev.mailkit.imap.internal.encode;

import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.Param;

import java.io.IOException;
import java.util.List;

/**
 * Writes BODY and BODYSTRUCTURE (RFC 3501 7.4.2) from a {@link MimePart} tree: basic, text, message/rfc822 and
 * multipart bodies, with the extension data (MD5, disposition, language, location) for BODYSTRUCTURE. Applies the
 * RFC 2045 defaults for absent fields the way Dovecot does (text/plain, charset us-ascii, 7bit). Stateless.
 */
public final class BodyStructureWriter {
    private static final int MAX_DEPTH = 100;

    private BodyStructureWriter() {
    }

    /** Writes the structure; {@code extensible} selects BODYSTRUCTURE over BODY. */
    public static void write(ImapWriter w, MimePart part, boolean extensible) throws IOException {
        write(w, part, extensible, 0);
    }

    private static void write(ImapWriter w, MimePart part, boolean ext, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            // a pathological nesting: stop descending with a harmless leaf
            w.ascii("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)");
            return;
        }
        if (part.isMultipart()) {
            multipart(w, part, ext, depth);
            return;
        }
        String type = part.type() == null ? "text" : part.type();
        String subtype = part.subtype() == null ? (part.type() == null ? "plain" : "") : part.subtype();
        boolean text = type.equalsIgnoreCase("text");
        w.write('(');
        w.string(type).sp().string(subtype).sp();
        List<Param> params = part.params();
        if (text && !hasParam(params, "charset")) {
            w.write('(');
            for (Param p : params) {
                w.string(p.name()).sp().string(p.value() == null ? "" : p.value()).sp();
            }
            w.ascii("\"charset\" \"us-ascii\")");
        } else {
            params(w, params);
        }
        w.sp().nstring(part.id()).sp().nstring(part.description()).sp();
        w.string(part.encoding() == null ? "7bit" : part.encoding()).sp();
        w.number(part.bodySize());
        if (part.isMessage()) {
            w.sp();
            EnvelopeWriter.write(w, part.messageEnvelope());
            w.sp();
            write(w, part.message(), ext, depth + 1);
            w.sp().number(part.lines());
        } else if (text) {
            w.sp().number(part.lines());
        }
        if (ext) {
            w.sp().nstring(part.md5()).sp();
            disposition(w, part);
            w.sp();
            language(w, part.language());
            w.sp().nstring(part.location());
        }
        w.write(')');
    }

    private static void multipart(ImapWriter w, MimePart part, boolean ext, int depth) throws IOException {
        w.write('(');
        List<? extends MimePart> children = part.children();
        if (children.isEmpty()) {
            w.ascii("(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0");
            w.ascii(ext ? " NIL NIL NIL NIL)" : ")");
        }
        for (MimePart c : children) {
            write(w, c, ext, depth + 1);
        }
        w.sp().string(part.subtype() == null ? "mixed" : part.subtype());
        if (ext) {
            w.sp();
            params(w, part.params());
            w.sp();
            disposition(w, part);
            w.sp();
            language(w, part.language());
            w.sp().nstring(part.location());
        }
        w.write(')');
    }

    private static boolean hasParam(List<Param> params, String name) {
        for (Param p : params) {
            if (p.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static void params(ImapWriter w, List<Param> params) throws IOException {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.write('(');
        boolean first = true;
        for (Param p : params) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.string(p.name()).sp().string(p.value() == null ? "" : p.value());
        }
        w.write(')');
    }

    private static void disposition(ImapWriter w, MimePart part) throws IOException {
        if (part.dispositionType() == null) {
            w.nil();
            return;
        }
        w.write('(').string(part.dispositionType()).sp();
        params(w, part.dispositionParams());
        w.write(')');
    }

    private static void language(ImapWriter w, List<String> language) throws IOException {
        if (language.isEmpty()) {
            w.nil();
            return;
        }
        w.write('(');
        for (int i = 0; i < language.size(); i++) {
            if (i > 0) {
                w.sp();
            }
            w.string(language.get(i));
        }
        w.write(')');
    }
}
