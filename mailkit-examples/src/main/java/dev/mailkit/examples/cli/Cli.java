package dev.mailkit.examples.cli;

import dev.mailkit.examples.ServerOptions;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code mailkit} command line, on picocli: {@code serve} (the server; also what runs when the first argument is a
 * flag, so the command lines of earlier versions work as they did), {@code user}, {@code queue}, {@code reload},
 * {@code import}, {@code export}, {@code diagnose}, {@code dkim}, and {@code generate-completion} (a bash/zsh
 * completion script: {@code source <(mailkit generate-completion)}). Every command has {@code --help}.
 *
 * <p>Errors are one line on standard error, {@code mailkit: ...}, never a stack trace: exit status 2 for a bad command
 * line or configuration (with the usage), 1 for anything that went wrong while doing what was asked.
 *
 * <p>To add a command: write a picocli {@code @Command} class extending {@code CommandGroup} (or {@code ServerAction}
 * when the running server carries it out over its control channel), with {@link Locations} as a {@code @Mixin} if it
 * needs the configuration file, the data directory or the users file, and list it in {@code subcommands} below.
 */
@Command(name = "mailkit", mixinStandardHelpOptions = true, version = "mailkit 0.1.0-SNAPSHOT",
        description = {"An embeddable mail server, run as a server of its own.",
                "With no command, or with options only, runs 'serve'."},
        subcommands = {UserCommand.class, QueueCommand.class, ReloadCommand.class, MailboxCommands.Import.class,
                MailboxCommands.Export.class, DiagnoseCommand.class, DkimCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class Cli implements Callable<Integer> {
    @CommandLine.Spec
    CommandSpec spec;

    /** Standard input (a password with --password-stdin). */
    InputStream in = System.in;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The command line, with {@code serve} and the output streams. */
    public static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        Cli root = new Cli();
        root.in = in;
        CommandLine cl = new CommandLine(root);
        cl.addSubcommand("serve", new CommandLine(ServeCommand.spec(out)), new String[0]);
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("mailkit: " + oneLine(e.getMessage()));
            c.getErr().print(c.getUsageMessage());
            c.getErr().flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("mailkit: " + message(e));
            c.getErr().flush();
            return e instanceof ServerOptions.UsageException ? 2 : 1;
        });
        return cl;
    }

    /** Runs a command line and returns the exit status; {@code serve} returns when the server has stopped. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** {@link #run(String[], PrintStream, PrintStream)} with the standard input given. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return commandLine(in, out, err).execute(withCommand(args));
    }

    /** Arguments that start with a flag (other than the root's help and version) are {@code serve}'s. */
    static String[] withCommand(String[] args) {
        if (args.length == 0 || args[0].startsWith("-") && !List.of("-h", "--help", "-V", "--version").contains(args[0])) {
            String[] out = new String[args.length + 1];
            out[0] = "serve";
            System.arraycopy(args, 0, out, 1, args.length);
            return out;
        }
        return Arrays.copyOf(args, args.length);
    }

    /** An exception's message as one line: what went wrong, never a stack trace. */
    static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").trim();
    }
}
