package dev.mailkit.scan.internal;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One connection to a scanner, TCP or Unix domain, with a deadline for everything: every connect, read and write
 * waits at most until the deadline the caller set, then fails with {@link SocketTimeoutException} (a non-blocking
 * channel and a selector of its own, so no thread is ever left waiting on a scanner that stopped answering, and no
 * helper thread is needed). Reads are buffered; {@link #readLine} and {@link #readExactly} take limits, so a scanner
 * that answers without end costs bounded memory. Not thread-safe: one caller at a time.
 */
public final class Conn implements Closeable {
    private final SocketChannel channel;
    private final Selector selector;
    private final String peer;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private long deadline;
    private boolean eof;

    private Conn(SocketChannel channel, Selector selector, String peer) {
        this.channel = channel;
        this.selector = selector;
        this.peer = peer;
        in.flip();
    }

    /**
     * Connects within {@code timeout}, which also becomes the first deadline.
     *
     * @throws IOException if the connection cannot be made in time
     */
    public static Conn open(Endpoint endpoint, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel ch = endpoint.isUnix() ? SocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        Selector sel = null;
        try {
            ch.configureBlocking(false);
            if (!endpoint.isUnix()) {
                // request and answer protocols: never let Nagle hold a small write back for the peer's delayed ACK
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
            sel = Selector.open();
            Conn c = new Conn(ch, sel, endpoint.toString());
            c.deadline = deadline;
            if (!ch.connect(endpoint.address())) {
                c.await(SelectionKey.OP_CONNECT, "connecting");
                while (!ch.finishConnect()) {
                    c.await(SelectionKey.OP_CONNECT, "connecting");
                }
            }
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (sel != null) {
                sel.close();
            }
            if (e instanceof java.nio.channels.UnresolvedAddressException) {
                throw new IOException("cannot resolve " + endpoint, e);
            }
            throw e;
        }
    }

    /** Sets the deadline for what follows to {@code timeout} from now. */
    public Conn deadlineIn(Duration timeout) {
        this.deadline = System.nanoTime() + timeout.toNanos();
        return this;
    }

    /** The peer, for messages. */
    public String peer() {
        return peer;
    }

    private void await(int op, String doing) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(peer + " did not answer in time (" + doing + ")");
        }
        SelectionKey key = channel.register(selector, op);
        try {
            int n = selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            if (n == 0 && deadline - System.nanoTime() <= 0) {
                throw new SocketTimeoutException(peer + " did not answer in time (" + doing + ")");
            }
        } finally {
            key.interestOps(0);
        }
    }

    /** Writes all bytes before the deadline. */
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            if (channel.write(buf) == 0) {
                await(SelectionKey.OP_WRITE, "sending");
            }
        }
    }

    /** Writes all bytes before the deadline. */
    public void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    /** Writes ASCII text. */
    public void writeAscii(String s) throws IOException {
        write(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        in.compact();
        try {
            while (true) {
                int n = channel.read(in);
                if (n < 0) {
                    eof = true;
                    return false;
                }
                if (n > 0) {
                    return true;
                }
                await(SelectionKey.OP_READ, "waiting for the answer");
            }
        } finally {
            in.flip();
        }
    }

    /** One byte, or -1 at the end of the stream. */
    public int read() throws IOException {
        if (!in.hasRemaining() && !fill()) {
            return -1;
        }
        return in.get() & 0xff;
    }

    /** Up to {@code len} bytes (at least one), or -1 at the end of the stream. */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!in.hasRemaining() && !fill()) {
            return -1;
        }
        int n = Math.min(len, in.remaining());
        in.get(b, off, n);
        return n;
    }

    /**
     * Exactly {@code n} bytes.
     *
     * @throws EOFException if the stream ends first
     */
    public byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        int pos = 0;
        while (pos < n) {
            int r = read(b, pos, n - pos);
            if (r < 0) {
                throw new EOFException(peer + " closed the connection in the middle of an answer");
            }
            pos += r;
        }
        return b;
    }

    /**
     * One line ending in LF (a CR before it is dropped), as ISO-8859-1 text, or null at the end of the stream.
     *
     * @throws ScanProtocolException if the line is longer than {@code max} bytes
     */
    public String readLine(int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = read()) != -1) {
            if (c == '\n') {
                byte[] l = b.toByteArray();
                int len = l.length > 0 && l[l.length - 1] == '\r' ? l.length - 1 : l.length;
                return new String(l, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (b.size() >= max) {
                throw new ScanProtocolException(peer + " sent a line longer than " + max + " bytes");
            }
            b.write(c);
        }
        if (b.size() == 0) {
            return null;
        }
        throw new EOFException(peer + " closed the connection in the middle of a line");
    }

    /**
     * Everything up to the end of the stream, at most {@code max} bytes.
     *
     * @throws ScanProtocolException if there is more
     */
    public byte[] readToEnd(int max) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(1024);
        byte[] buf = new byte[8192];
        int n;
        while ((n = read(buf, 0, buf.length)) != -1) {
            if (b.size() + n > max) {
                throw new ScanProtocolException(peer + " sent an answer longer than " + max + " bytes");
            }
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    /** Closes our sending side (the peer reads end of stream) and keeps reading. */
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** A stream view of the reading side (deadline applies). */
    public InputStream inputStream() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return Conn.this.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return Conn.this.read(b, off, len);
            }
        };
    }

    /** A stream view of the writing side (deadline applies; unbuffered). */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                Conn.this.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Conn.this.write(b, off, len);
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
