package dev.mailkit.scan.daemons;

import dev.mailkit.scan.SpamdClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * SpamAssassin's spamd with its shipped rules, local tests only ({@code -L}: no DNS, no network), allowing
 * {@code TELL} (learning into a Bayes database in its directory), on a loopback port.
 */
public final class Spamd extends Daemon {
    /** The GTUBE test string: spamd scores it 1000. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private final int port;

    Spamd() {
        super("spamd");
        Path spamd = program("spamd");
        port = freePort();
        Path site = dir.resolve("site");
        Path bayes = dir.resolve("bayes");
        try {
            Files.createDirectories(site);
            Files.createDirectories(bayes);
            bayes.toFile().setWritable(true, false); // spamd's children run as nobody when started by root
            try (DirectoryStream<Path> pre = Files.newDirectoryStream(Path.of("/etc/spamassassin"), "*.pre")) {
                for (Path p : pre) {
                    Files.copy(p, site.resolve(p.getFileName()));
                }
            }
            Files.writeString(site.resolve("local.cf"), String.join("\n",
                    "use_bayes 1", "bayes_auto_learn 0", "bayes_path " + bayes.resolve("bayes"),
                    "bayes_file_mode 0777", "skip_rbl_checks 1", "dns_available no", "") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(spamd.toString(), "-L", "-x", "--siteconfigpath=" + site,
                "--listen=127.0.0.1:" + port, "--max-children=2", "--min-children=1", "--allow-tell",
                "--syslog=stderr", "-r", dir.resolve("spamd.pid").toString()));
        SpamdClient probe = SpamdClient.builder(address()).timeout(Duration.ofSeconds(2)).build();
        start(cmd, Duration.ofSeconds(60), () -> probe.ping() != null);
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + port;
    }
}
