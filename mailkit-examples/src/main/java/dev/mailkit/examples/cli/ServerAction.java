package dev.mailkit.examples.cli;

import dev.mailkit.examples.ControlChannel;
import picocli.CommandLine.Mixin;

import java.util.List;

/**
 * A command the running server carries out ({@code mailkit reload}, {@code mailkit queue ...}): its line is sent over
 * the server's control channel, the answer printed, and a refusal ({@code ERR ...}) becomes the command's error.
 */
abstract class ServerAction extends CommandGroup {
    @Mixin
    Locations where;

    /** The control-channel line. */
    abstract String command();

    @Override
    public Integer call() throws Exception {
        List<String> answer = ControlChannel.ask(where.data(), command());
        String last = answer.isEmpty() ? "ERR no answer" : answer.get(answer.size() - 1);
        answer.subList(0, Math.max(0, answer.size() - 1)).forEach(out()::println);
        if (!last.equals("OK")) {
            throw new IllegalStateException(last.startsWith("ERR ") ? last.substring(4) : last);
        }
        return 0;
    }
}
