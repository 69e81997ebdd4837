package dev.mailkit.imap.internal.preview;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.Param;
import dev.mailkit.store.mime.PartContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * FETCH PREVIEW (RFC 8970): up to {@value SnippetText#MAX_CHARS} characters of the first {@code text/plain} or
 * {@code text/html} part, found in the message's cached MIME structure (depth first through multiparts, not into
 * attached messages), decoded from its transfer encoding and charset (an unknown or missing charset is read as
 * UTF-8, bytes that do not decode become U+FFFD), HTML reduced to its text ({@link HtmlText}), white space collapsed
 * and quoted lines left out ({@link SnippetText}). Only that part is read, and at most {@value #MAX_READ} of its
 * decoded characters, so a huge part costs no more than a small one. The empty string for a message without such a
 * part, as Dovecot. Stateless.
 */
public final class Preview {
    /** The most decoded characters read from the part (markup and skipped quotes included). */
    static final int MAX_READ = 256 * 1024;
    private static final int MAX_DEPTH = 50;

    private Preview() {
    }

    /** The preview text of a message. */
    public static String of(MessageSource content, MimePart root) throws IOException {
        MimePart part = firstText(root, 0);
        if (part == null) {
            return "";
        }
        boolean html = "html".equalsIgnoreCase(part.subtype());
        SnippetText snippet = new SnippetText();
        HtmlText markup = html ? new HtmlText(snippet) : null;
        try (InputStream raw = PartContent.range(content, part.bodyOffset(), part.endOffset());
             Reader r = new InputStreamReader(PartContent.transferDecoded(raw, part.encoding()), decoder(part))) {
            char[] buf = new char[4096];
            int read = 0;
            int n;
            while (read < MAX_READ && !snippet.full() && (n = r.read(buf, 0, Math.min(buf.length, MAX_READ - read))) > 0) {
                read += n;
                for (int i = 0; i < n; i++) {
                    if (markup != null) {
                        markup.add(buf[i]);
                    } else {
                        snippet.add(buf[i]);
                    }
                }
            }
        }
        return snippet.result();
    }

    /** The first text/plain or text/html leaf, depth first; null if there is none. */
    static MimePart firstText(MimePart part, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        if (part.isMultipart()) {
            for (MimePart c : part.children()) {
                MimePart found = firstText(c, depth + 1);
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (part.isMessage()) {
            return null; // an attached message is not this message's text (Dovecot does not look inside either)
        }
        String type = part.type();
        String subtype = part.subtype();
        if (type == null) {
            return part; // RFC 2045's default: text/plain
        }
        if (type.equalsIgnoreCase("text") && subtype != null
                && (subtype.equalsIgnoreCase("plain") || subtype.equalsIgnoreCase("html"))) {
            return part;
        }
        return null;
    }

    private static CharsetDecoder decoder(MimePart part) {
        Charset cs = StandardCharsets.UTF_8;
        for (Param p : part.params()) {
            if (p.name().equalsIgnoreCase("charset") && p.value() != null) {
                try {
                    cs = Charset.forName(p.value().trim());
                    if (cs.equals(StandardCharsets.US_ASCII)) {
                        cs = StandardCharsets.UTF_8; // 8-bit text labelled us-ascii is common; UTF-8 is a superset
                    }
                } catch (RuntimeException e) {
                    cs = StandardCharsets.UTF_8; // unknown or malformed name: read as UTF-8 with replacements
                }
                break;
            }
        }
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }
}
