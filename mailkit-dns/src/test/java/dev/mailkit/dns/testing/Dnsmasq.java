package dev.mailkit.dns.testing;

import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.testsupport.ExternalTool;

import dev.mailkit.core.dns.DnsType;
import dev.mailkit.dns.DnsJavaResolver;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** A real DNS server on a loopback port, run unprivileged from a config file in a temporary directory. */
public final class Dnsmasq implements AutoCloseable {
    public final Process process;
    public final InetSocketAddress address;

    public Dnsmasq(Path dir, String... records) throws Exception {
        Path bin = ExternalTool.require("dnsmasq");
        Process started = null;
        InetSocketAddress where = null;
        String why = "";
        for (int attempt = 0; attempt < 5 && started == null; attempt++) {
            int port = freeUdpAndTcpPort();
            Path conf = dir.resolve("dnsmasq.conf");
            Files.writeString(conf, String.join("\n", List.of("port=" + port, "listen-address=127.0.0.1",
                    "bind-interfaces", "no-resolv", "no-hosts", "no-poll", "local=/test/")) + "\n"
                    + String.join("\n", records) + "\n");
            Path out = dir.resolve("dnsmasq-" + attempt + ".out");
            Process p = new ProcessBuilder(bin.toString(), "-k", "--conf-file=" + conf, "--pid-file=",
                    "--user=" + System.getProperty("user.name"), "--log-facility=" + dir.resolve("dnsmasq.log"))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
            if (answers(p, a)) {
                started = p;
                where = a;
            } else {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                why = Files.readString(out); // e.g. the port was taken meanwhile: try another
            }
        }
        if (started == null) {
            throw new AssertionError("dnsmasq did not answer: " + why);
        }
        process = started;
        address = where;
    }

    /** Waits until dnsmasq answers on the address; false if it exited or stayed silent for 10 s. */
    private static boolean answers(Process p, InetSocketAddress a) {
        DnsJavaResolver probe = DnsJavaResolver.using(Duration.ofMillis(300), a);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                probe.lookup("probe.test", DnsType.MX, Duration.ofSeconds(1));
                return true;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** dnsmasq listens on UDP and TCP: a port free for both. */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = u.getLocalPort();
                try (java.net.ServerSocket t = new java.net.ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busy) {
                    // TCP side taken: another port
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}
