package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.command.CapabilityCommand;
import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.EnableCommand;
import dev.mailkit.imap.internal.command.IdCommand;
import dev.mailkit.imap.internal.command.IdleCommand;
import dev.mailkit.imap.internal.command.LoginCommand;
import dev.mailkit.imap.internal.command.LogoutCommand;
import dev.mailkit.imap.internal.command.NamespaceCommand;
import dev.mailkit.imap.internal.command.NoopCommand;
import dev.mailkit.imap.internal.command.StartTlsCommand;
import dev.mailkit.imap.internal.session.CommandHandler;

import java.util.Map;

/** The handler for each command class. Immutable; handlers are stateless. */
public final class Handlers {
    private static final CommandHandler<Command> UNAVAILABLE = new UnavailableHandler();
    private static final Map<Class<? extends Command>, CommandHandler<? extends Command>> HANDLERS = Map.ofEntries(
            Map.entry(CapabilityCommand.class, new CapabilityHandler()),
            Map.entry(NoopCommand.class, new NoopHandler()),
            Map.entry(LogoutCommand.class, new LogoutHandler()),
            Map.entry(StartTlsCommand.class, new StartTlsHandler()),
            Map.entry(LoginCommand.class, new LoginHandler()),
            Map.entry(AuthenticateCommand.class, new AuthenticateHandler()),
            Map.entry(IdCommand.class, new IdHandler()),
            Map.entry(EnableCommand.class, new EnableHandler()),
            Map.entry(NamespaceCommand.class, new NamespaceHandler()),
            Map.entry(IdleCommand.class, new IdleHandler()));

    private Handlers() {
    }

    /** The handler for the command. */
    @SuppressWarnings("unchecked")
    public static CommandHandler<Command> forCommand(Command c) {
        CommandHandler<? extends Command> h = HANDLERS.get(c.getClass());
        return h == null ? UNAVAILABLE : (CommandHandler<Command>) h;
    }
}
