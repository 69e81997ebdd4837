package dev.mailkit.examples.cli;

import picocli.CommandLine.Command;

/** {@code mailkit reload}: what SIGHUP does, with the answer printed (what was applied, what needs a restart). */
@Command(name = "reload", mixinStandardHelpOptions = true, description = "Makes the running server read its "
        + "configuration again and says what it applied and what needs a restart.")
final class ReloadCommand extends ServerAction {
    @Override
    String command() {
        return "reload";
    }
}
