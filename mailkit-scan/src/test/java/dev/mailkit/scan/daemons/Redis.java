package dev.mailkit.scan.daemons;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Redis as Rspamd's statistics store: on a loopback port, in memory only (no snapshot, no append-only file), its
 * files in a directory of its own. Rspamd's SQLite statistics backend is no longer used by the tests: its scanning
 * workers now and then hold a read transaction on the database long enough that the controller's learn cannot
 * commit ("database is locked" for more than 7 seconds), which Rspamd's own documentation answers by recommending
 * Redis, as every real installation uses.
 */
public final class Redis extends Daemon {
    private final int port;

    Redis() {
        super("redis");
        java.nio.file.Path server = program("redis-server");
        port = freePort();
        start(List.of(server.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--protected-mode", "yes"), Duration.ofSeconds(30), this::ping);
    }

    /** True when the server answers {@code PING} with {@code +PONG}. */
    private boolean ping() throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    /** {@code 127.0.0.1:PORT}, as Rspamd's {@code servers} option takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }
}
