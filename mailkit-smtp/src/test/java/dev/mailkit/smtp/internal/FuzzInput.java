package dev.mailkit.smtp.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** An input stream that returns short reads of sizes chosen by the fuzzer, to exercise buffer boundaries. */
final class FuzzInput extends FilterInputStream {
    private final int step;
    private int calls;

    FuzzInput(InputStream in, int step) {
        super(in);
        this.step = step;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = step <= 0 ? len : Math.min(len, 1 + ((calls++ * 7 + step) % step));
        return super.read(b, off, Math.max(1, n));
    }
}
