package dev.mailkit.examples.cli;

import dev.mailkit.examples.ControlChannel;
import dev.mailkit.examples.MailkitServerMain;
import dev.mailkit.examples.ServerOptions;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code mailkit serve}: starts the server and runs until SIGTERM or Ctrl-C. Its options are {@link ServerOptions}'
 * settings, made into picocli options from their declarations; SIGHUP and {@code mailkit reload} reload.
 */
final class ServeCommand implements Callable<Integer> {
    private final PrintStream out;
    private CommandSpec spec;

    private ServeCommand(PrintStream out) {
        this.out = out;
    }

    static CommandSpec spec(PrintStream out) {
        ServeCommand c = new ServeCommand(out);
        CommandSpec spec = ServerOptions.commandSpec(c);
        spec.name("serve");
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description("Runs the mail server: SMTP (MX, submission, SMTPS), IMAP, POP3 and the web "
                + "inbox, until SIGTERM; SIGHUP reloads the configuration.");
        c.spec = spec;
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        ServerOptions options = ServerOptions.fromParsed(spec.commandLine().getParseResult());
        MailkitServerMain.Running running;
        try {
            running = MailkitServerMain.start(options, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start: " + Cli.message(e), e);
        }
        ControlChannel control = ControlChannel.serve(running, out);
        Signals.onHangup(() -> running.reload().lines().forEach(out::println));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            control.close();
            running.close();
            out.println("mailkit stopped");
            out.flush();
            stopped.countDown();
        }, "mailkit-shutdown"));
        stopped.await();
        return 0;
    }
}
