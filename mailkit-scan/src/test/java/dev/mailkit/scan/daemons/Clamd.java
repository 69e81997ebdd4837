package dev.mailkit.scan.daemons;

import dev.mailkit.scan.ClamdClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * ClamAV's clamd with a signature database the test writes (the EICAR test file, by MD5 in an {@code .hdb} and by
 * content in an {@code .ndb}; no freshclam, no network), on a Unix socket and a loopback TCP port.
 */
public final class Clamd extends Daemon {
    /** The EICAR anti-virus test file (68 bytes). */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private final Path socket;
    private final int port;

    Clamd() {
        super("clamd");
        Path clamd = program("clamd");
        socket = dir.resolve("clamd.sock");
        port = freePort();
        try {
            Path db = Files.createDirectories(dir.resolve("db"));
            byte[] eicar = EICAR.getBytes(StandardCharsets.US_ASCII);
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(eicar));
            Files.writeString(db.resolve("mailkit.hdb"), md5 + ":" + eicar.length + ":Mailkit.Test.EICAR\n");
            Files.writeString(db.resolve("mailkit.ndb"), "Mailkit.Test.EICAR-ndb:0:*:" + HexFormat.of().formatHex(
                    "EICAR-STANDARD-ANTIVIRUS-TEST-FILE".getBytes(StandardCharsets.US_ASCII)) + "\n");
            Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                    "Foreground yes",
                    "DatabaseDirectory " + db,
                    "LocalSocket " + socket,
                    "TCPSocket " + port,
                    "TCPAddr 127.0.0.1",
                    "StreamMaxLength 2M",
                    "MaxThreads 4",
                    "TemporaryDirectory " + dir,
                    "LogFile " + dir.resolve("clamd-own.log"),
                    "") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        ClamdClient probe = ClamdClient.builder("unix:" + socket).timeout(Duration.ofSeconds(2)).build();
        start(List.of(clamd.toString(), "-c", dir.resolve("clamd.conf").toString()), Duration.ofSeconds(30),
                () -> probe.ping() != null);
    }

    /** {@code unix:PATH} of its socket. */
    public String unixAddress() {
        return "unix:" + socket;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String tcpAddress() {
        return "127.0.0.1:" + port;
    }

    /** clamd's StreamMaxLength as configured (2 MiB). */
    public static long streamMaxLength() {
        return 2L * 1024 * 1024;
    }
}
