package dev.mailkit.imap.internal.search;

import dev.mailkit.core.MessageSource;
import dev.mailkit.imap.internal.message.MimePart;
import dev.mailkit.imap.internal.message.Param;
import dev.mailkit.store.mime.PartContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The text of a message as SEARCH sees it: header fields unfolded and with RFC 2047 encoded words decoded, and
 * bodies of text parts decoded from their transfer encoding and charset, streamed part by part into a
 * {@link TextMatcher} so that a big body is never held in memory. Stateless helpers.
 */
public final class MessageText {
    private MessageText() {
    }

    /** The value with encoded words decoded (as it is when they are malformed). */
    public static String decode(String value) {
        return PartContent.decodeWords(value);
    }

    /**
     * Feeds the decoded text of the body parts under {@code part} to the matcher (text parts, and the header and
     * text of encapsulated messages); true as soon as it matched.
     */
    public static boolean searchBody(MessageSource content, MimePart part, TextMatcher m) throws IOException {
        return searchBody(content, part, m, 0);
    }

    private static boolean searchBody(MessageSource content, MimePart part, TextMatcher m, int depth)
            throws IOException {
        if (depth > 50) {
            return false;
        }
        if (part.isMultipart()) {
            for (MimePart c : part.children()) {
                if (searchBody(content, c, m, depth + 1)) {
                    return true;
                }
            }
            return false;
        }
        if (part.isMessage()) {
            MimePart inner = part.message();
            for (PartContent.HeaderField f : PartContent.headerFields(content, inner.headerOffset(), inner.bodyOffset())) {
                m.reset();
                if (m.feed(decode(f.value()))) {
                    return true;
                }
            }
            return searchBody(content, inner, m, depth + 1);
        }
        if (part.type() != null && !part.type().equalsIgnoreCase("text")) {
            return false;
        }
        m.reset();
        try (InputStream raw = PartContent.range(content, part.bodyOffset(), part.endOffset());
             Reader r = new InputStreamReader(PartContent.transferDecoded(raw, part.encoding()), charset(part))) {
            char[] buf = new char[8192];
            int n;
            while ((n = r.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (m.feed(buf[i])) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static Charset charset(MimePart part) {
        for (Param p : part.params()) {
            if (p.name().equalsIgnoreCase("charset") && p.value() != null) {
                try {
                    return Charset.forName(p.value().trim());
                } catch (RuntimeException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

}
