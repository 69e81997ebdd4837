package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.imap.internal.command.CatenatePart;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Builds the message of one CATENATE list (RFC 4469): its TEXT parts and the bytes its URLs name, in order, streamed
 * into a new spooled source (memory up to the spool's threshold, then a file), so that no message is ever held whole
 * in the heap. The result may not exceed the APPEND limit: past it the spool is discarded and
 * {@link TooBigException} is thrown. One per APPEND.
 */
final class CatenateAssembler {
    /** The catenated message is larger than the limit: {@code NO [TOOBIG]}. */
    static final class TooBigException extends IOException {
        private static final long serialVersionUID = 1L;

        TooBigException(long limit) {
            super("the catenated message is larger than the APPENDLIMIT of " + limit + " octets", null);
        }
    }

    private final MessageSpool spool;
    private final CatenateUrls urls;
    private final long limit;

    CatenateAssembler(MessageSpool spool, CatenateUrls urls, long limit) {
        this.spool = spool;
        this.urls = urls;
        this.limit = limit;
    }

    /** The message the parts make; the caller closes it. */
    MessageSource assemble(List<CatenatePart> parts) throws CatenateUrls.BadUrlException, IOException {
        MessageSpool.Writer w = spool.newWriter();
        boolean finished = false;
        try {
            Bounded out = new Bounded(w, limit);
            for (CatenatePart part : parts) {
                if (part instanceof CatenatePart.Text t) {
                    try (InputStream in = t.content().openStream()) {
                        in.transferTo(out);
                    }
                } else {
                    urls.write(((CatenatePart.Url) part).url(), out);
                }
            }
            MessageSource m = w.finish();
            finished = true;
            return m;
        } finally {
            if (!finished) {
                w.abort();
            }
        }
    }

    /** Counts what passes and refuses the byte that would pass the limit. */
    private static final class Bounded extends OutputStream {
        private final OutputStream out;
        private final long limit;
        private long written;

        Bounded(OutputStream out, long limit) {
            this.out = out;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (written >= limit) {
                throw new TooBigException(limit);
            }
            out.write(b);
            written++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > limit - written) {
                throw new TooBigException(limit);
            }
            out.write(b, off, len);
            written += len;
        }
    }
}
