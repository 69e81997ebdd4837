package dev.mailkit.examples.cli;

import dev.mailkit.examples.ControlChannel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code mailkit queue list|flush|hold|release|delete}: the running server's relay queue, through its control channel. */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Shows and manages the outgoing mail queue of "
        + "the running server.", subcommands = {QueueCommand.Ls.class, QueueCommand.Flush.class,
        QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Delete.class})
final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Sends a command to the running server and prints its answer; a refusal is an error. */
    static int ask(Locations where, CommandSpec spec, String command) throws Exception {
        List<String> answer = ControlChannel.ask(where.data(), command);
        String last = answer.isEmpty() ? "ERR no answer" : answer.get(answer.size() - 1);
        answer.subList(0, Math.max(0, answer.size() - 1)).forEach(spec.commandLine().getOut()::println);
        if (!last.equals("OK")) {
            throw new IllegalStateException(last.startsWith("ERR ") ? last.substring(4) : last);
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the queued messages.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        Locations where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return ask(where, spec, "queue list");
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Retries every deferred message now.")
    static final class Flush implements Callable<Integer> {
        @Mixin
        Locations where;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return ask(where, spec, "queue flush");
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Holds a message: no delivery until released.")
    static final class Hold implements Callable<Integer> {
        @Mixin
        Locations where;
        @Parameters(paramLabel = "QUEUE-ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return ask(where, spec, "queue hold " + Ids.checked(id));
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Releases a held message.")
    static final class Release implements Callable<Integer> {
        @Mixin
        Locations where;
        @Parameters(paramLabel = "QUEUE-ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return ask(where, spec, "queue release " + Ids.checked(id));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a message from the queue "
            + "(no bounce is sent).")
    static final class Delete implements Callable<Integer> {
        @Mixin
        Locations where;
        @Parameters(paramLabel = "QUEUE-ID")
        String id;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            return ask(where, spec, "queue delete " + Ids.checked(id));
        }
    }

    /** Queue ids are letters and digits: anything else is refused before it reaches the server. */
    static final class Ids {
        private Ids() {
        }

        static String checked(String id) {
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("'" + id.replaceAll("[^\\x20-\\x7e]", "?") + "' is not a queue id");
            }
            return id;
        }
    }
}
