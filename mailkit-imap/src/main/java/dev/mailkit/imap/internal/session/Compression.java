package dev.mailkit.imap.internal.session;

import dev.mailkit.core.server.ProtocolInputStream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * COMPRESS=DEFLATE (RFC 4978) of one connection: raw deflate (RFC 1951, no zlib header) both ways, over whatever
 * the connection is (TLS too). A flush after output is a sync flush, so a response reaches the client whole (a flush
 * with nothing new written sends nothing). The input is inflated only as the command reader asks for bytes, so a
 * deflate bomb meets the reader's line and literal limits as plain input would, a buffer at a time. {@link #end()}
 * frees the native zlib state. Used by the session under its write lock.
 */
final class Compression {
    private static final int BUFFER = 8192;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final OutputStream output;
    private final ProtocolInputStream input;

    Compression(OutputStream connectionOutput, InputStream connectionInput) {
        this.output = new SyncFlushing(new DeflaterOutputStream(connectionOutput, deflater, BUFFER, true));
        this.input = new ProtocolInputStream(new InflaterInputStream(connectionInput, inflater, BUFFER));
    }

    /** The compressing output. */
    OutputStream output() {
        return output;
    }

    /** The inflated input, buffered for the command reader. */
    ProtocolInputStream input() {
        return input;
    }

    /** Frees the zlib state; the streams must not be used after. */
    void end() {
        deflater.end();
        inflater.end();
    }

    /** Sync-flushes only when something was written since the last flush (an empty flush still costs 5 bytes). */
    private static final class SyncFlushing extends FilterOutputStream {
        private boolean written;

        SyncFlushing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            written = true;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            written |= len > 0;
        }

        @Override
        public void flush() throws IOException {
            if (written) {
                written = false;
                out.flush();
            }
        }
    }
}
