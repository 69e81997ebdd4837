package dev.mailkit.relay;

import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.core.sink.InMemorySink;
import dev.mailkit.smtp.SmtpServer;
import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Real peers for relay tests on loopback addresses: mailkit receivers, Postfix's smtp-sink, free ports. */
final class Peers {
    private Peers() {
    }

    static InetAddress loopback(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A port free on 127.0.0.1, .2 and .3 (MX delivery uses one port for every host, as port 25 would be). */
    static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, loopback(1))) {
                port = s.getLocalPort();
            }
            boolean free = true;
            for (int last = 1; last <= 3 && free; last++) {
                try (ServerSocket s = new ServerSocket(port, 1, loopback(last))) {
                    free = s.getLocalPort() == port;
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IOException("no port free on 127.0.0.1-3");
    }

    /** A mailkit receiver accepting mail for every domain on the given address and port. */
    static SmtpServer.Builder receiver(InMemorySink sink, InetAddress bind, int port) {
        return SmtpServer.builder().bindAddress(bind).mx(port).acceptAllDomains().sink(sink)
                .authFailurePenalty(AuthFailurePenalty.none());
    }

    /** Waits until something listens on the address. */
    static void awaitListening(InetSocketAddress a, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(a, 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing listens on " + a + " after " + timeout);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** Waits until the servers have no connection open (the relay closed its idle connections). */
    static void awaitNoConnections(Duration timeout, SmtpServer... servers) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (java.util.Arrays.stream(servers).mapToInt(SmtpServer::connectionCount).sum() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("connections still open after " + timeout);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** Postfix's smtp-sink: a fast SMTP server that can answer 4xx/5xx on demand (see man smtp-sink). */
    static final class SmtpSink implements AutoCloseable {
        final Process process;
        final InetSocketAddress address;

        SmtpSink(InetAddress bind, int port, Path dumpDir, String... options) throws IOException {
            Path bin = ExternalTool.require("smtp-sink");
            List<String> cmd = new ArrayList<>(List.of(bin.toString()));
            if ("root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("-u", "root"));
            }
            if (dumpDir != null) {
                cmd.addAll(List.of("-d", dumpDir + "/%s."));
            }
            cmd.addAll(List.of(options));
            cmd.add(bind.getHostAddress() + ":" + port);
            cmd.add("100");
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            address = new InetSocketAddress(bind, port);
            awaitListening(address, Duration.ofSeconds(10));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
