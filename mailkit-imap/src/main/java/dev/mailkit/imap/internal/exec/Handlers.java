package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.AppendCommand;
import dev.mailkit.imap.internal.command.AuthenticateCommand;
import dev.mailkit.imap.internal.command.CloseCommand;
import dev.mailkit.imap.internal.command.CopyCommand;
import dev.mailkit.imap.internal.command.CreateCommand;
import dev.mailkit.imap.internal.command.DeleteCommand;
import dev.mailkit.imap.internal.command.ExpungeCommand;
import dev.mailkit.imap.internal.command.FetchCommand;
import dev.mailkit.imap.internal.command.GetMetadataCommand;
import dev.mailkit.imap.internal.command.ListCommand;
import dev.mailkit.imap.internal.command.QuotaCommand;
import dev.mailkit.imap.internal.command.RenameCommand;
import dev.mailkit.imap.internal.command.SearchCommand;
import dev.mailkit.imap.internal.command.SelectCommand;
import dev.mailkit.imap.internal.command.SetMetadataCommand;
import dev.mailkit.imap.internal.command.StatusCommand;
import dev.mailkit.imap.internal.command.StoreCommand;
import dev.mailkit.imap.internal.command.SubscribeCommand;
import dev.mailkit.imap.internal.command.CapabilityCommand;
import dev.mailkit.imap.internal.command.CancelUpdateCommand;
import dev.mailkit.imap.internal.command.Command;
import dev.mailkit.imap.internal.command.CompressCommand;
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
            Map.entry(IdleCommand.class, new IdleHandler()),
            Map.entry(SelectCommand.class, new SelectHandler()),
            Map.entry(CreateCommand.class, new CreateHandler()),
            Map.entry(DeleteCommand.class, new DeleteHandler()),
            Map.entry(RenameCommand.class, new RenameHandler()),
            Map.entry(SubscribeCommand.class, new SubscribeHandler()),
            Map.entry(ListCommand.class, new ListHandler()),
            Map.entry(StatusCommand.class, new StatusHandler()),
            Map.entry(AppendCommand.class, new AppendHandler()),
            Map.entry(CloseCommand.class, new CloseHandler()),
            Map.entry(ExpungeCommand.class, new ExpungeHandler()),
            Map.entry(SearchCommand.class, new SearchHandler()),
            Map.entry(dev.mailkit.imap.internal.command.SortCommand.class, new SortHandler()),
            Map.entry(dev.mailkit.imap.internal.command.ThreadCommand.class, new ThreadHandler()),
            Map.entry(FetchCommand.class, new FetchHandler()),
            Map.entry(StoreCommand.class, new StoreHandler()),
            Map.entry(CopyCommand.class, new CopyHandler()),
            Map.entry(QuotaCommand.class, new QuotaHandler()),
            Map.entry(CancelUpdateCommand.class, new CancelUpdateHandler()),
            Map.entry(CompressCommand.class, new CompressHandler()),
            Map.entry(GetMetadataCommand.class, new GetMetadataHandler()),
            Map.entry(SetMetadataCommand.class, new SetMetadataHandler()),
            Map.entry(dev.mailkit.imap.internal.command.NotifyCommand.class, new NotifyHandler()));
    /** Commands that work only with a mailbox store. */
    private static final java.util.Set<Class<? extends Command>> NEED_STORE = java.util.Set.of(SelectCommand.class,
            CreateCommand.class, DeleteCommand.class, RenameCommand.class, SubscribeCommand.class, ListCommand.class,
            StatusCommand.class, AppendCommand.class, QuotaCommand.class,
            GetMetadataCommand.class,
            SetMetadataCommand.class, dev.mailkit.imap.internal.command.NotifyCommand.class);

    private Handlers() {
    }

    /** The handler for the command ({@code hasStore}: whether the server has a mailbox store). */
    @SuppressWarnings("unchecked")
    public static CommandHandler<Command> forCommand(Command c, boolean hasStore) {
        if (!hasStore && NEED_STORE.contains(c.getClass())) {
            return UNAVAILABLE;
        }
        CommandHandler<? extends Command> h = HANDLERS.get(c.getClass());
        return h == null ? UNAVAILABLE : (CommandHandler<Command>) h;
    }
}
