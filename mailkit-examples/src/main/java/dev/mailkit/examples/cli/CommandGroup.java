package dev.mailkit.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The base of every command: its picocli spec, where it prints, and, for a command that only groups subcommands
 * ({@code mailkit queue}, {@code mailkit user}, ...), its usage when run without one.
 */
abstract class CommandGroup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where the command's output goes (the command line's, which tests capture). */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Run without a subcommand: prints the usage. Commands that do something override this. */
    @Override
    public Integer call() throws Exception {
        spec.commandLine().usage(out());
        return 0;
    }
}
