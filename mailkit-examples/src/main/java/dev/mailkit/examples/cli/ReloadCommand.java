package dev.mailkit.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mailkit reload}: what SIGHUP does, with the answer printed (what was applied, what needs a restart). */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Makes the running server read its "
        + "configuration again and says what it applied and what needs a restart.")
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    Locations where;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return QueueCommand.ask(where, spec, "reload");
    }
}
