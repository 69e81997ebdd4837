package dev.mailkit.search.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.store.mime.MessageStructure;
import dev.mailkit.store.mime.MimeParameter;
import dev.mailkit.store.mime.MimePart;
import dev.mailkit.store.mime.PartContent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a message exactly as mailkit's IMAP SEARCH reads them (see the SPI's description): the header's
 * field names and decoded values (TEXT), and the decoded text parts with the header values of attached messages
 * (BODY and TEXT). Each text is matched on its own. The same rules as {@code mailkit-imap}'s scan: both read headers
 * and part text through mailkit-store's {@link PartContent}; the differential test keeps the two equal. Stateless.
 */
public final class MessageTexts {
    /** Text indexed per part at most; a longer part makes the index answer nothing for its message's mailbox. */
    public static final int MAX_PART_TEXT = 64 * 1024 * 1024;

    private MessageTexts() {
    }

    /** A message's texts: the header's (TEXT only) and the body's. */
    public record Texts(List<String> header, List<String> body) {
    }

    /** Reads a message's texts. */
    public static Texts of(MessageSource content, MessageStructure structure) throws IOException {
        MimePart root = structure.body();
        List<String> header = new ArrayList<>();
        for (PartContent.HeaderField f : PartContent.headerFields(content, root.headerOffset(), root.bodyOffset())) {
            header.add(f.name());
            header.add(PartContent.decodeWords(f.value()));
        }
        List<String> body = new ArrayList<>();
        body(content, root, body, 0);
        return new Texts(header, body);
    }

    private static void body(MessageSource content, MimePart part, List<String> out, int depth) throws IOException {
        if (depth > 50) {
            return;
        }
        if (part.isMultipart()) {
            for (MimePart c : part.children()) {
                body(content, c, out, depth + 1);
            }
            return;
        }
        MessageStructure m = part.message();
        if (m != null) {
            MimePart inner = m.body();
            for (PartContent.HeaderField f : PartContent.headerFields(content, inner.headerOffset(), inner.bodyOffset())) {
                out.add(PartContent.decodeWords(f.value()));
            }
            body(content, inner, out, depth + 1);
            return;
        }
        if (part.type() != null && !part.type().equalsIgnoreCase("text")) {
            return;
        }
        StringBuilder b = new StringBuilder();
        try (InputStream raw = PartContent.range(content, part.bodyOffset(), part.bodyOffset() + part.bodyLength());
             Reader r = new InputStreamReader(PartContent.transferDecoded(raw, part.transferEncoding()), charset(part))) {
            char[] buf = new char[8192];
            int n;
            while ((n = r.read(buf)) > 0) {
                if (b.length() + n > MAX_PART_TEXT) {
                    throw new IOException("a text part longer than " + MAX_PART_TEXT + " characters");
                }
                b.append(buf, 0, n);
            }
        }
        out.add(b.toString());
    }

    private static Charset charset(MimePart part) {
        for (MimeParameter p : part.parameters()) {
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
