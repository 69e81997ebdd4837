package dev.mailkit.examples;

import dev.mailkit.relay.QueueEntry;
import dev.mailkit.relay.RelayQueue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The running server's administration channel: a Unix domain socket, {@code DATA/control.sock}, readable and writable
 * by the server's user only, through which {@code mailkit reload} and {@code mailkit queue ...} reach the running
 * server (the queue's files belong to the running server alone). One command line per connection; the answer is lines
 * of text and a last line {@code OK} or {@code ERR reason}.
 */
public final class ControlChannel implements AutoCloseable {
    /** The socket's file name in the data directory. */
    public static final String SOCKET = "control.sock";
    private static final int MAX_LINE = 1024;

    private final ServerSocketChannel server;
    private final Path path;
    private final MailkitServerMain.Running running;
    private final Thread thread;

    private ControlChannel(ServerSocketChannel server, Path path, MailkitServerMain.Running running) {
        this.server = server;
        this.path = path;
        this.running = running;
        this.thread = new Thread(this::loop, "mailkit-control");
        thread.setDaemon(true);
    }

    /** Opens the channel of a running server. Failing to open it is reported, not fatal. */
    public static ControlChannel serve(MailkitServerMain.Running running, PrintStream out) {
        Path path = running.options().get(ServerOptions.DATA).resolve(SOCKET).toAbsolutePath();
        try {
            if (Files.exists(path) && !answers(path)) {
                Files.delete(path); // left by a server that did not stop cleanly
            }
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            ControlChannel c = new ControlChannel(s, path, running);
            c.thread.start();
            return c;
        } catch (IOException | UnsupportedOperationException e) {
            out.println("  control channel     not available (" + e.getMessage() + "): reload with SIGHUP");
            return new ControlChannel(null, path, running);
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends one command to the server whose data directory is {@code data} and returns its answer's lines, the last
     * being {@code OK} or {@code ERR ...}.
     *
     * @throws IOException if no server is running there
     */
    public static List<String> ask(Path data, String command) throws IOException {
        Path path = data.resolve(SOCKET).toAbsolutePath();
        if (!Files.exists(path)) {
            throw new IOException("no mailkit server is running with the data directory " + data + " (no " + path + ")");
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            Writer w = Channels.newWriter(c, StandardCharsets.UTF_8);
            w.write(command + "\n");
            w.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                    StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(l);
            }
            return lines;
        } catch (IOException e) {
            throw new IOException("the mailkit server at " + data + " does not answer: " + e.getMessage(), e);
        }
    }

    private void loop() {
        while (server != null && server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
                        StandardCharsets.UTF_8), MAX_LINE);
                Writer w = Channels.newWriter(c, StandardCharsets.UTF_8);
                String line = readLine(r);
                List<String> answer = new ArrayList<>();
                try {
                    answer.addAll(execute(line == null ? "" : line.trim()));
                    answer.add("OK");
                } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
                    answer.add("ERR " + String.valueOf(e.getMessage()).replaceAll("[\\r\\n]+", " "));
                }
                for (String a : answer) {
                    w.write(a + "\n");
                }
                w.flush();
            } catch (IOException e) {
                // the client went away, or the channel was closed
            }
        }
    }

    private static String readLine(BufferedReader r) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int ch; (ch = r.read()) >= 0 && ch != '\n'; ) {
            if (sb.length() >= MAX_LINE) {
                return null;
            }
            sb.append((char) ch);
        }
        return sb.toString();
    }

    private List<String> execute(String line) throws IOException {
        String[] w = line.split(" +");
        RelayQueue q = running.relay();
        switch (w[0]) {
            case "reload":
                MailkitServerMain.ReloadReport report = running.reload();
                if (report.error() != null) {
                    throw new IllegalArgumentException("reload refused, nothing changed: " + report.error());
                }
                return report.lines();
            case "queue":
                if (w.length < 2) {
                    break;
                }
                switch (w[1]) {
                    case "list": {
                        List<String> out = new ArrayList<>();
                        List<QueueEntry> all = q.list();
                        for (QueueEntry e : all) {
                            out.add(summary(e));
                        }
                        out.add(all.size() + " messages");
                        return out;
                    }
                    case "show": {
                        if (w.length != 3) {
                            throw new IllegalArgumentException("queue show needs a queue id");
                        }
                        QueueEntry e = q.entry(w[2]).orElseThrow(
                                () -> new IllegalArgumentException("no message " + w[2] + " in the queue"));
                        List<String> out = new ArrayList<>(List.of(summary(e), "  origin " + e.origin()));
                        e.recipients().forEach(r -> out.add("  " + r.toString().replaceAll("[\\r\\n]+", " ")));
                        return out;
                    }
                    case "flush":
                        return List.of(q.flush() + " messages retried now");
                    case "hold":
                    case "release":
                    case "delete": {
                        if (w.length != 3) {
                            throw new IllegalArgumentException("queue " + w[1] + " needs a queue id");
                        }
                        boolean done = w[1].equals("hold") ? q.hold(w[2]) : w[1].equals("release") ? q.release(w[2])
                                : q.delete(w[2]);
                        if (!done) {
                            throw new IllegalArgumentException("no message " + w[2] + " in the queue");
                        }
                        return List.of(w[2] + ": " + (w[1].equals("hold") ? "held" : w[1] + "d"));
                    }
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("unknown command '" + line.replaceAll("[^\\x20-\\x7e]", "?") + "'");
    }

    /** One line about a queued message. */
    private static String summary(QueueEntry e) {
        return e.id() + "  " + e.size() + " bytes  " + e.created() + "  from <"
                + e.reversePath().map(Object::toString).orElse("") + ">  to " + e.pendingRecipients()
                + (e.isHeld() ? "  HELD" : "") + "  attempts " + e.attempts()
                + e.nextAttempt().map(t -> "  next " + t).orElse("");
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
