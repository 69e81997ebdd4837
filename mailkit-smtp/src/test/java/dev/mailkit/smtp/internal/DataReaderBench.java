package dev.mailkit.smtp.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A micro-benchmark of {@link DataReader} (not a test; run by {@code bench/data-reader.sh}): the time to frame and
 * un-stuff a 10 KiB message of ordinary text lines from memory, best of 15 rounds of 20,000 messages in one JVM. The
 * receiver's CPU profile (JFR) showed most of its time in this loop before runs of ordinary octets were copied at once.
 */
public final class DataReaderBench {
    private DataReaderBench() {
    }

    public static void main(String[] args) throws Exception {
        StringBuilder sb = new StringBuilder("Subject: bench\r\nFrom: a@b.test\r\n\r\n");
        while (sb.length() < 10240) {
            sb.append("line of text in a message body, long enough to be typical of mail .....\r\n");
        }
        sb.append(".\r\n");
        byte[] message = sb.toString().getBytes(StandardCharsets.US_ASCII);
        OutputStream sink = OutputStream.nullOutputStream();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 20_000; k++) {
                BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(message), 8192);
                new DataReader(25L << 20, 998, false).read(in, sink);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("DataReader: %.2f us per 10 KiB message, %.2f ns/byte (best of 15 rounds)%n",
                best / 20_000 / 1000.0, best / 20_000.0 / message.length);
    }
}
