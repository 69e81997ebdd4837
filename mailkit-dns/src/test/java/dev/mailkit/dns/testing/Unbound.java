package dev.mailkit.dns.testing;

import dev.mailkit.core.dns.DnsType;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.testsupport.ExternalTool;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A real validating resolver for DNSSEC tests: Debian's Unbound on a loopback port, serving test zones from files
 * (its {@code auth-zone}s) and validating them as it would answers from the Internet. Signed zones get keys made by
 * BIND's {@code dnssec-keygen} and signatures by {@code dnssec-signzone} at test time, and their DS records become
 * Unbound's trust anchors, so its answers for them carry the AD bit; unsigned zones are answered without it. A
 * "bogus" zone is signed, but its trust anchor is another key's: Unbound answers SERVFAIL, as for a forged answer.
 */
public final class Unbound implements AutoCloseable {
    public final Process process;
    public final InetSocketAddress address;

    /**
     * Signs the zones and starts Unbound.
     *
     * @param signed   zone name to zone file text (records may be relative to the zone: an {@code $ORIGIN} is set)
     * @param unsigned zones served without signatures
     * @param bogus    zones signed under a key their trust anchor does not name
     */
    public Unbound(Path dir, Map<String, String> signed, Map<String, String> unsigned, Map<String, String> bogus)
            throws Exception {
        Path bin = ExternalTool.require("unbound");
        List<String> conf = new ArrayList<>(List.of("server:", "  interface: 127.0.0.1", "  do-daemonize: no",
                "  username: \"\"", "  chroot: \"\"", "  directory: \"" + dir + "\"", "  pidfile: \"\"",
                "  use-syslog: no", "  logfile: \"\"", "  verbosity: 1", "  access-control: 127.0.0.0/8 allow",
                "  do-not-query-localhost: no", "  module-config: \"validator iterator\"", "  root-hints: \"\"",
                "  do-ip6: no", "  so-reuseport: no", "  local-zone: \"test.\" nodefault", "  val-log-level: 2"));
        List<String> zones = new ArrayList<>();
        for (Map.Entry<String, String> z : signed.entrySet()) {
            Path file = sign(dir, z.getKey(), z.getValue());
            conf.add("  trust-anchor-file: \"" + dir.resolve("dsset-" + z.getKey() + ".") + "\"");
            zones.addAll(authZone(z.getKey(), file));
        }
        for (Map.Entry<String, String> z : bogus.entrySet()) {
            Path file = sign(dir, z.getKey(), z.getValue());
            Path other = Files.createDirectories(dir.resolve("other-" + z.getKey()));
            String key = run(other, "dnssec-keygen", "-q", "-a", "ECDSAP256SHA256", "-f", "KSK", z.getKey()).strip();
            String ds = run(other, "dnssec-dsfromkey", "-2", key + ".key");
            Path anchor = dir.resolve("anchor-" + z.getKey());
            Files.writeString(anchor, ds);
            conf.add("  trust-anchor-file: \"" + anchor + "\"");
            zones.addAll(authZone(z.getKey(), file));
        }
        for (Map.Entry<String, String> z : unsigned.entrySet()) {
            Path file = dir.resolve(z.getKey() + ".zone");
            Files.writeString(file, zoneText(z.getKey(), z.getValue()));
            zones.addAll(authZone(z.getKey(), file));
        }
        Process started = null;
        InetSocketAddress where = null;
        String why = "";
        for (int attempt = 0; attempt < 5 && started == null; attempt++) {
            int port = freeUdpPort();
            List<String> all = new ArrayList<>(conf);
            all.add("  port: " + port);
            all.addAll(zones);
            Path file = dir.resolve("unbound.conf");
            Files.write(file, all, StandardCharsets.UTF_8);
            Path out = dir.resolve("unbound-" + attempt + ".out");
            Process p = new ProcessBuilder(bin.toString(), "-d", "-c", file.toString()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", port);
            String probe = signed.isEmpty() ? unsigned.keySet().iterator().next() : signed.keySet().iterator().next();
            if (answers(p, a, probe)) {
                started = p;
                where = a;
            } else {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                why = Files.readString(out);
            }
        }
        if (started == null) {
            throw new AssertionError("unbound did not answer: " + why);
        }
        process = started;
        address = where;
    }

    private static List<String> authZone(String name, Path file) {
        return List.of("auth-zone:", "  name: \"" + name + ".\"", "  zonefile: \"" + file + "\"",
                "  for-downstream: no", "  for-upstream: yes", "  fallback-enabled: no");
    }

    private static String zoneText(String zone, String records) {
        return "$ORIGIN " + zone + ".\n$TTL 300\n@ IN SOA ns." + zone + ". root." + zone + ". 1 3600 600 86400 300\n"
                + "@ IN NS ns." + zone + ".\nns IN A 127.0.0.1\n" + records + "\n";
    }

    /** Makes a KSK and a ZSK and signs the zone with them; returns the signed file (dsset-ZONE. is written). */
    private static Path sign(Path dir, String zone, String records) throws IOException, InterruptedException {
        Path file = dir.resolve(zone + ".zone");
        StringBuilder text = new StringBuilder(zoneText(zone, records));
        for (String flags : new String[] {"KSK", ""}) {
            List<String> cmd = new ArrayList<>(List.of("dnssec-keygen", "-q", "-a", "ECDSAP256SHA256"));
            if (!flags.isEmpty()) {
                cmd.addAll(List.of("-f", flags));
            }
            cmd.add(zone);
            String key = run(dir, cmd.toArray(new String[0])).strip();
            text.append(Files.readString(dir.resolve(key + ".key")));
        }
        Files.writeString(file, text.toString());
        run(dir, "dnssec-signzone", "-q", "-o", zone, "-S", "-K", dir.toString(), "-f", file + ".signed",
                file.toString());
        return dir.resolve(zone + ".zone.signed");
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(cmd));
        c.set(0, ExternalTool.require(cmd[0]).toString());
        Process p = new ProcessBuilder(c).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    private static boolean answers(Process p, InetSocketAddress a, String zone) {
        DnsJavaResolver probe = DnsJavaResolver.using(Duration.ofMillis(300), a);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try {
                probe.lookup("ns." + zone, DnsType.A, Duration.ofSeconds(1));
                return true;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return u.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
