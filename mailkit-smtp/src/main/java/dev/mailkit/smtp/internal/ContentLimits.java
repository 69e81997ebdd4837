package dev.mailkit.smtp.internal;

import dev.mailkit.core.SmtpReply;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What the DATA and BDAT readers share: the size and line-length limits, the count of bare CR/LF, and the rule that
 * nothing more is written once a message is doomed (over a limit, or a bare CR/LF when not normalising), while the
 * rest is still counted so that the client's data is read to its end. Not thread-safe.
 */
public final class ContentLimits {
    private final long maxSize;
    private final int maxLineLength;
    private final boolean normalize;
    private long written;
    private boolean oversize;
    private boolean lineTooLong;
    private int bare;
    private int lineLength;

    /**
     * @param maxSize       the most content bytes to keep
     * @param maxLineLength the longest line in octets without its CRLF; 0 for no limit
     * @param normalize     whether bare CR/LF become CRLF (otherwise they doom the message)
     */
    public ContentLimits(long maxSize, int maxLineLength, boolean normalize) {
        this.maxSize = maxSize;
        this.maxLineLength = maxLineLength;
        this.normalize = normalize;
    }

    /** Whether bare CR/LF are turned into CRLF. */
    boolean normalize() {
        return normalize;
    }

    /** Counts one octet of a line (not its line end). */
    void lineOctet() {
        if (++lineLength > maxLineLength && maxLineLength > 0) {
            lineTooLong = true;
        }
    }

    /** Counts {@code count} octets of a line (not its line end). */
    void lineOctets(int count) {
        lineLength += count;
        if (lineLength > maxLineLength && maxLineLength > 0) {
            lineTooLong = true;
        }
    }

    /** A line ended (CRLF, or a bare CR/LF). */
    void lineEnd() {
        lineLength = 0;
    }

    /**
     * Counts a bare CR or LF and, when normalising, writes CRLF for it into {@code buf} at {@code pos}.
     *
     * @return the new position in {@code buf}
     */
    int bare(byte[] buf, int pos) {
        bare++;
        lineLength = 0;
        if (normalize) {
            buf[pos++] = '\r';
            buf[pos++] = '\n';
        }
        return pos;
    }

    /** Writes content unless the message is doomed; always counts it. */
    void emit(OutputStream out, byte[] b, int len) throws IOException {
        written += len;
        if (written > maxSize) {
            oversize = true;
        }
        if (len == 0 || oversize || lineTooLong || (!normalize && bare > 0)) {
            return;
        }
        out.write(b, 0, len);
    }

    /** The content size (counted even for content that was drained). */
    public long size() {
        return written;
    }

    /** Whether the content exceeded the maximum size. */
    public boolean isOversize() {
        return oversize;
    }

    /** Whether a line exceeded the maximum line length. */
    public boolean isLineTooLong() {
        return lineTooLong;
    }

    /** Whether a bare CR or LF was seen. */
    public boolean hasBareLineEndings() {
        return bare > 0;
    }

    /** The number of bare CRs and LFs seen. */
    public int bareCount() {
        return bare;
    }

    /** The refusal the content deserves, or null if it may be delivered. */
    public SmtpReply refusal() {
        if (oversize) {
            return SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit of " + maxSize + " octets");
        }
        if (bare > 0 && !normalize) {
            return SmtpReply.of(550, "5.6.0",
                    "Message contains a bare CR or LF; lines must end with CRLF (RFC 5321 2.3.8)");
        }
        if (lineTooLong) {
            return SmtpReply.of(550, "5.6.0", "Message has a line longer than " + maxLineLength
                    + " octets (RFC 5321 4.5.3.1.6)");
        }
        return null;
    }
}
