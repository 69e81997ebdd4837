package dev.mailkit.scan.daemons;

import dev.mailkit.scan.MilterClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** clamav-milter on a Unix socket, asking a {@link Clamd}: infected mail is rejected, clean mail gets its headers. */
public final class ClamavMilter extends Daemon {
    private final Path socket;

    ClamavMilter(Clamd clamd) {
        super("clamav-milter");
        Path milter = program("clamav-milter");
        socket = dir.resolve("milter.sock");
        try {
            Files.writeString(dir.resolve("clamav-milter.conf"), String.join("\n",
                    "MilterSocket unix:" + socket,
                    "MilterSocketMode 666",
                    "ClamdSocket " + clamd.unixAddress(),
                    "Foreground yes",
                    "OnInfected Reject",
                    "RejectMsg Virus found: %v",
                    "AddHeader Replace",
                    "ReportHostname milter.test",
                    "TemporaryDirectory " + dir,
                    "LogFile " + dir.resolve("milter-own.log"),
                    "LogInfected Basic",
                    "") + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MilterClient probe = MilterClient.builder(address()).timeout(Duration.ofSeconds(2)).build();
        start(List.of(milter.toString(), "-c", dir.resolve("clamav-milter.conf").toString()), Duration.ofSeconds(30),
                () -> probe.ping() != null);
    }

    /** {@code unix:PATH}. */
    public String address() {
        return "unix:" + socket;
    }
}
