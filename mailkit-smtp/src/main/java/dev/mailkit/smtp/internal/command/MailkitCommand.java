package dev.mailkit.smtp.internal.command;

import dev.mailkit.smtp.internal.DropConnection;
import dev.mailkit.smtp.internal.SessionState;
import dev.mailkit.smtp.internal.SmtpListener;

import java.io.IOException;
import java.util.Locale;

/**
 * Base of mailkit's SMTP command implementations, which SubEthaSMTP's session loop runs in place of its own (through
 * {@code SubethaAccess}). It checks that the verb is exactly this command (SubEthaSMTP dispatches on the first four
 * letters, so {@code EHLOX} would otherwise run EHLO), records the line in the transcript and hands the arguments to
 * {@link #run}.
 */
public abstract class MailkitCommand {
    /** The listener whose sessions this command serves (its configuration, delivery and checks). */
    protected final SmtpListener listener;
    private final String verb;
    private final String help;

    /**
     * @param listener the listener whose sessions the command serves
     * @param verb     the verb, upper case
     * @param help     one line of help
     */
    protected MailkitCommand(SmtpListener listener, String verb, String help) {
        this.listener = listener;
        this.verb = verb;
        this.help = help;
    }

    /** The verb, upper case. */
    public final String verb() {
        return verb;
    }

    /** One line of help. */
    public final String help() {
        return help;
    }

    /** Runs the command line {@code line} (verb and arguments) in the session. */
    public final void execute(String line, SessionState st) throws IOException, DropConnection {
        st.recorder().client(transcriptLine(line));
        int space = line.indexOf(' ');
        String given = space < 0 ? line : line.substring(0, space);
        if (!given.toUpperCase(Locale.ROOT).equals(verb)) {
            st.reply(500, "5.5.2", "Command not recognized");
            return;
        }
        run(space < 0 ? "" : line.substring(space + 1), st);
    }

    /** The line as it goes into the transcript (AUTH overrides this to hide credentials). */
    protected String transcriptLine(String line) {
        return line;
    }

    /**
     * Runs the command.
     *
     * @param args the text after the verb and one space (may be empty)
     */
    protected abstract void run(String args, SessionState st) throws IOException, DropConnection;
}
