package dev.mailkit.imap.internal.command;

/** SUBSCRIBE or UNSUBSCRIBE mailbox (RFC 3501 6.3.6/6.3.7). */
public record SubscribeCommand(String tag, String mailbox, boolean subscribe) implements Command {
    @Override
    public String name() {
        return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE";
    }
}
