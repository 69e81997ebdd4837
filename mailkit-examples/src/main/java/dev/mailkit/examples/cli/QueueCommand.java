package dev.mailkit.examples.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mailkit queue list|show|flush|hold|release|delete}: the running server's relay queue, through its control
 * channel; with {@code --store postgres}, the whole queue the nodes share, from any node.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Shows and manages the outgoing mail queue of "
        + "the running server (with --store postgres: of every node on the database).", subcommands = {
        QueueCommand.Ls.class, QueueCommand.Show.class, QueueCommand.Flush.class,
        QueueCommand.Hold.class, QueueCommand.Release.class, QueueCommand.Delete.class})
final class QueueCommand extends CommandGroup {
    /** A command on one queued message. */
    abstract static class MessageAction extends ServerAction {
        @Parameters(paramLabel = "QUEUE-ID")
        String id;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the queued messages.")
    static final class Ls extends ServerAction {
        @Override
        String command() {
            return "queue list";
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows a message: its recipients, their "
            + "states and last replies.")
    static final class Show extends MessageAction {
        @Override
        String command() {
            return "queue show " + Ids.checked(id);
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Retries every deferred message now.")
    static final class Flush extends ServerAction {
        @Override
        String command() {
            return "queue flush";
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Holds a message: no delivery until released.")
    static final class Hold extends MessageAction {
        @Override
        String command() {
            return "queue hold " + Ids.checked(id);
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Releases a held message.")
    static final class Release extends MessageAction {
        @Override
        String command() {
            return "queue release " + Ids.checked(id);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a message from the queue "
            + "(no bounce is sent).")
    static final class Delete extends MessageAction {
        @Override
        String command() {
            return "queue delete " + Ids.checked(id);
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
