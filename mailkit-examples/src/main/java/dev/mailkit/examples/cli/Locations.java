package dev.mailkit.examples.cli;

import dev.mailkit.examples.ServerOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a command finds the server's files: the configuration file, or the data directory and users file given
 * directly (a flag wins over the file, as for {@code serve}).
 */
public final class Locations {
    @Option(names = "--config", paramLabel = "FILE", description = "the server's configuration file")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "the data directory (default: the configuration's, "
            + "else ./mailkit-data)")
    Path data;

    @Option(names = "--users-file", paramLabel = "FILE", description = "the users file (default: the configuration's)")
    Path usersFile;

    /** The server's options as these locations give them. */
    ServerOptions options() throws ServerOptions.UsageException {
        List<String> args = new ArrayList<>();
        if (config != null) {
            args.add("--config");
            args.add(config.toString());
        }
        if (data != null) {
            args.add("--data");
            args.add(data.toString());
        }
        if (usersFile != null) {
            args.add("--users-file");
            args.add(usersFile.toString());
        }
        return ServerOptions.parse(args.toArray(new String[0]));
    }

    Path data() throws ServerOptions.UsageException {
        return options().get(ServerOptions.DATA);
    }

    Path usersFile() throws ServerOptions.UsageException {
        Path f = options().get(ServerOptions.USERS_FILE);
        if (f == null) {
            throw new ServerOptions.UsageException("no users file: give --users-file FILE, or --config FILE with "
                    + "users-file: in it");
        }
        return f;
    }
}
