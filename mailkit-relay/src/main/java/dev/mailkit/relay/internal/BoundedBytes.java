package dev.mailkit.relay.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer for a message on its way to the relay log, that refuses to grow past twice the log limit
 * ({@link QueueStore#LOG_LIMIT}): a larger message goes to a file of its own.
 */
final class BoundedBytes extends OutputStream {
    static final class TooBig extends IOException {
        private static final long serialVersionUID = 1L;
    }

    byte[] buf;
    int count;

    BoundedBytes(int initial) {
        buf = new byte[Math.max(256, initial)];
    }

    @Override
    public void write(int b) throws IOException {
        ensure(1);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensure(len);
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void ensure(int n) throws TooBig {
        if (count + n > buf.length) {
            if (count + n > 2 * QueueStore.LOG_LIMIT) {
                throw new TooBig();
            }
            buf = Arrays.copyOf(buf, Math.min(2 * QueueStore.LOG_LIMIT, Math.max(count + n, buf.length * 2)));
        }
    }
}
