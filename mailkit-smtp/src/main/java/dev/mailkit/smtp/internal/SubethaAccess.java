package dev.mailkit.smtp.internal;

import dev.mailkit.core.SmtpReply;
import dev.mailkit.smtp.internal.command.MailkitCommand;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.internal.proxy.ProxyHandler.ProxyResult;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.ServerThread;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

/**
 * Everything mailkit uses of SubEthaSMTP, in one class: no other mailkit class names a SubEthaSMTP type (an ArchUnit
 * rule keeps it so). mailkit takes SubEthaSMTP's session loop (line reading, command dispatch, the greeting, the
 * timeouts) and replaces everything else: the accept loop ({@link SmtpListener}), every command
 * ({@code internal.command}), the session state ({@link SessionState}) and the reply writer ({@link ReplyWriter}).
 *
 * <h2>What this relies on, as SubEthaSMTP {@value #ASSUMED_VERSION} has it</h2>
 * <ol>
 * <li>{@code SMTPServer.port(..)...build()} is never started: its {@code getCommandHandler().addCommand(..)} replaces
 * the built-in command of the same verb with a {@link BaseCommand} (an internal class) subclass,
 * {@link CommandAdapter}, that runs mailkit's {@link MailkitCommand}.</li>
 * <li>A {@code Session} is made with its public constructor {@code (SMTPServer, ServerThread, Socket, ProxyHandler)}
 * and run on mailkit's executor; its {@code run()} asks the {@link SessionHandler} to accept the session, writes the
 * greeting, reads lines through its internal {@code CRLFTerminatedReader} and calls {@code onSessionEnd} when the
 * session ends, and {@code sendResponse}, {@code getRawInput}, {@code getReader}, {@code setSocket} (new buffers:
 * plaintext pipelined behind STARTTLS is dropped), {@code resetSmtpProtocol}, {@code quit}, {@code getSocket},
 * {@code getSessionId} and {@code getRealRemoteAddress} do what their names say.</li>
 * <li>The {@code ServerThread} handed to each session is constructed and never started (it would cost a thread per
 * server start): a session that ends calls its {@code sessionEnded}, which releases a permit of its private
 * {@code Semaphore connectionPermits} (read by reflection), so mailkit takes one for each session it starts, and
 * {@code hasTooManyConnections()} counts them.</li>
 * <li>The session's private {@code PrintWriter writer} is replaced by reflection with a {@link ReplyWriter}, again
 * after STARTTLS, because SubEthaSMTP offers no hook for it; the writer rewrites the few replies SubEthaSMTP's loop
 * writes itself, recognised by the texts in {@link #SUBETHA_REPLIES}, to carry enhanced status codes.</li>
 * <li>A {@link DropConnectionException} thrown by a command is answered with its reply and ends the session.</li>
 * </ol>
 *
 * <h2>What breaks on an upgrade</h2>
 * A renamed private field fails at class initialisation ("mailkit needs SubEthaSMTP 7.2.x"); a changed constructor or
 * method fails the build. Silently: a reply text SubEthaSMTP changed reaches clients without an enhanced status code;
 * a {@code ServerThread} that counts differently makes sessions fail or leaks permits until the listener refuses
 * everyone; a {@code setSocket} that keeps the old buffers reopens STARTTLS command injection. {@link
 * Assumptions#broken()} checks the members, and {@code SubethaAccessTest} drives each behaviour over a socket; both
 * name {@value #ASSUMED_VERSION} when they fail. Read this list before changing {@code subethasmtp.version}.
 */
final class SubethaAccess {
    /** The SubEthaSMTP versions this class was written for. */
    static final String ASSUMED_VERSION = "7.2.x";

    /**
     * The replies SubEthaSMTP's session loop writes itself (by their start), and what mailkit sends instead: with an
     * enhanced status code (RFC 3463) and clearer wording.
     */
    static final Map<String, String> SUBETHA_REPLIES = Map.of(
            "500 Error: command not implemented", "500 5.5.2 Command not recognized\r\n",
            "500 Error: bad syntax", "500 5.5.2 Syntax error, command unrecognized\r\n",
            "421 Timeout waiting for data from client",
            "421 4.4.2 Timeout waiting for data from client, closing connection\r\n",
            "501 Syntax error at character position",
            "500 5.5.2 Bare CR or LF in command line (lines must end with CRLF), closing connection\r\n",
            "501 Syntax error: invalid character encoding",
            "500 5.5.2 Invalid UTF-8 in command line, closing connection\r\n",
            "501 Input line length", "500 5.5.2 Command line too long (at most 998 characters), closing connection\r\n",
            "421 Too many connections", "421 4.7.0 Too many connections, try again later\r\n");

    private static final Field WRITER = field(Session.class, "writer", PrintWriter.class);
    private static final Field PERMITS = field(ServerThread.class, "connectionPermits", Semaphore.class);
    private static final int BACKLOG = 256;

    private SubethaAccess() {
    }

    private static Field field(Class<?> c, String name, Class<?> type) {
        try {
            Field f = c.getDeclaredField(name);
            if (f.getType() != type) {
                throw new NoSuchFieldException(name);
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this SubEthaSMTP version has no " + type.getSimpleName() + " "
                    + c.getSimpleName() + "." + name + "; mailkit needs SubEthaSMTP " + ASSUMED_VERSION
                    + " (see dev.mailkit.smtp.internal.SubethaAccess)");
        }
    }

    /** The reply mailkit sends for one SubEthaSMTP writes itself; other replies unchanged. */
    static String fixReply(String reply) {
        for (Map.Entry<String, String> e : SUBETHA_REPLIES.entrySet()) {
            if (reply.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return reply;
    }

    /** What a listener does with SubEthaSMTP's sessions. */
    interface Lifecycle {
        /** Makes the mailkit state of a new session. */
        SessionState open(Wire wire);

        /**
         * Decides whether the session may go on: null to accept (the greeting follows), else the refusal, sent once
         * this returns; a refused session is ended here ({@link #end} is not called for it).
         */
        SmtpReply accept(SessionState st);

        /** An accepted session ended. */
        void end(SessionState st);
    }

    /**
     * One listener's SubEthaSMTP machinery: the server whose commands are mailkit's, the unstarted server thread
     * that counts sessions, and the sessions running now.
     */
    static final class Engine {
        private final SMTPServer server;
        private final ServerThread accounting;
        private final Semaphore permits;
        private final ExecutorService executor;
        private final Lifecycle lifecycle;
        private final Map<Session, SessionState> states = new ConcurrentHashMap<>();
        private final Set<Session> live = ConcurrentHashMap.newKeySet();
        private final ProxyHandler proxies;

        Engine(SmtpConfig config, int port, String threadPrefix, ServerSocket socket, ExecutorService executor,
               List<MailkitCommand> commands, Lifecycle lifecycle, Map<Socket, InetSocketAddress> preRead) {
            this.executor = executor;
            this.proxies = config.proxyProtocol == null ? ProxyHandler.NOP : new Proxies(config.proxyProtocol, preRead);
            this.lifecycle = lifecycle;
            this.server = SMTPServer.port(port)
                    .bindAddress(config.bindAddress)
                    .hostName(config.hostName)
                    .softwareName("mailkit")
                    .backlog(BACKLOG)
                    .executorService(executor)
                    .maxConnections(config.maxConnections + 16) // mailkit's limiter refuses first, with a clear reply
                    .connectionTimeout((int) config.idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .maxRecipients(config.maxRecipients)
                    .insertReceivedHeaders(false)
                    .messageHandlerFactory(Engine::noMessageHandler)
                    .sessionHandler(new Sessions())
                    .serverThreadName(threadPrefix + "accept")
                    .build();
            for (MailkitCommand c : commands) {
                server.getCommandHandler().addCommand(new CommandAdapter(c, this));
            }
            this.accounting = new ServerThread(server, socket, ProxyHandler.NOP);
            try {
                this.permits = (Semaphore) PERMITS.get(accounting);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        private static MessageHandler noMessageHandler(MessageContext ctx) {
            throw new IllegalStateException("mailkit's commands never start SubEthaSMTP message handlers");
        }

        /**
         * Runs a session for an accepted connection on the executor, or closes the connection (more sessions than
         * the server's limit: mailkit's own limiter refuses before with a clear reply; or the executor is stopping).
         */
        void startSession(Socket s) {
            if (!permits.tryAcquire()) { // SubEthaSMTP's session gives one back when it ends
                refuse(s);
                return;
            }
            Session session;
            try {
                session = new Session(server, accounting, s, proxies);
            } catch (IOException | RuntimeException e) {
                permits.release();
                closeQuietly(s);
                return;
            }
            live.add(session);
            try {
                executor.execute(() -> {
                    try {
                        session.run();
                    } finally {
                        live.remove(session);
                    }
                });
            } catch (RejectedExecutionException e) { // stopping
                live.remove(session);
                permits.release();
                closeQuietly(s);
            }
        }

        /**
         * Closes a connection past SubEthaSMTP's own limit (a burst of connections that mailkit's limiter is refusing
         * at the same moment fills its 16 spare permits), with the same reply the limiter gives, so that a client
         * never sees a silent close. A plaintext socket's send buffer is empty right after accept, so the short write
         * never blocks the accepting thread; an implicit-TLS socket cannot carry a reply before its handshake.
         */
        private static void refuse(Socket s) {
            if (!(s instanceof javax.net.ssl.SSLSocket)) {
                try {
                    s.getOutputStream().write(SUBETHA_REPLIES.get("421 Too many connections")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                } catch (IOException e) {
                    // the client is gone already
                }
            }
            closeQuietly(s);
        }

        /** The sessions running now (from the accepted connection until its thread is done). */
        int sessionCount() {
            return live.size();
        }

        /** Ends every session (closes its socket). */
        void quitAll() {
            for (Session s : live) {
                s.quit();
            }
        }

        /** The mailkit state of every session that is past its acceptance check and not ended. */
        Collection<SessionState> states() {
            return states.values();
        }

        SessionState state(Session s) {
            SessionState st = states.get(s);
            if (st == null) {
                throw new IllegalStateException("no mailkit state for session " + s.getSessionId());
            }
            return st;
        }

        /** SubEthaSMTP's session lifecycle hooks, handed to mailkit's {@link Lifecycle} with a {@link Wire}. */
        private final class Sessions implements SessionHandler {
            @Override
            public SessionAcceptance accept(Session session) {
                SessionState st = lifecycle.open(new Wire(session));
                states.put(session, st);
                SmtpReply refusal = lifecycle.accept(st);
                if (refusal == null) {
                    return SessionAcceptance.success();
                }
                states.remove(session);
                return SessionAcceptance.failure(refusal.code(), refusal.enhancedStatus() + " " + refusal.text());
            }

            @Override
            public void onSessionEnd(Session session) {
                SessionState st = states.remove(session);
                if (st != null) {
                    lifecycle.end(st);
                }
            }
        }
    }

    /**
     * The PROXY protocol through SubEthaSMTP's hook, which a session runs on its own thread before anything else: a
     * connection from a configured proxy must begin with a header (read by core's {@code ProxyProtocol}, exactly, from
     * the session's input) and its client becomes the session's remote address ({@link Wire#clientAddress()}); a
     * malformed header is answered {@code 421} and the connection closed. Other connections are left alone. On an
     * implicit-TLS port the header comes before the handshake, so the listener reads it when it accepts the
     * connection and leaves the client in {@code preRead}.
     */
    static final class Proxies implements ProxyHandler {
        private final dev.mailkit.core.server.ProxyProtocol protocol;
        private final Map<Socket, InetSocketAddress> preRead;

        Proxies(dev.mailkit.core.server.ProxyProtocol protocol, Map<Socket, InetSocketAddress> preRead) {
            this.protocol = protocol;
            this.preRead = preRead;
        }

        @Override
        public ProxyResult handle(java.io.InputStream in, java.io.OutputStream out, Session session)
                throws IOException {
            InetSocketAddress known = preRead.remove(session.getSocket());
            if (known != null) {
                return new ProxyResult(known);
            }
            InetSocketAddress peer = session.getRealRemoteAddress();
            if (!protocol.isProxy(peer.getAddress()) || session.getSocket() instanceof javax.net.ssl.SSLSocket) {
                return ProxyResult.NOP;
            }
            Socket s = session.getSocket();
            int timeout = s.getSoTimeout();
            try {
                s.setSoTimeout((int) protocol.headerTimeout().toMillis());
                InetSocketAddress client = protocol.readHeader(in, peer);
                s.setSoTimeout(timeout);
                return new ProxyResult(client);
            } catch (IOException e) {
                return new ProxyResult(421, "4.7.0 Invalid PROXY protocol header");
            }
        }
    }

    /**
     * A SubEthaSMTP {@code Session} as mailkit's code sees it, through {@link SessionState}: the connection, its
     * input, replies, and the TLS upgrade.
     */
    static final class Wire {
        private final Session session;

        private Wire(Session session) {
            this.session = session;
        }

        String sessionId() {
            return session.getSessionId();
        }

        /** The client: the connection's peer, or the client its PROXY header named. */
        InetSocketAddress clientAddress() {
            return session.getRemoteAddress();
        }

        Socket socket() {
            return session.getSocket();
        }

        /** The input after the command line, unbuffered by SubEthaSMTP's line reader (DATA, BDAT). */
        InputStream input() {
            return session.getRawInput();
        }

        /** One line from the client through SubEthaSMTP's line reader (AUTH responses), or null at the end. */
        String readLine() throws IOException {
            return session.getReader().readLine();
        }

        /** Sends a reply (one or more lines, without the final CRLF) through the installed writer. */
        void send(String reply) throws IOException {
            session.sendResponse(reply);
        }

        /** Closes the connection; the session loop ends. */
        void quit() {
            session.quit();
        }

        /** Installs mailkit's reply writer over the current socket. */
        void installReplyWriter(SessionState state) throws IOException {
            PrintWriter w = new ReplyWriter(session.getSocket().getOutputStream(), state);
            try {
                WRITER.set(session, w);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Continues the session over a TLS socket after STARTTLS: new buffers (so that plaintext the client pipelined
         * behind STARTTLS is dropped), mailkit's reply writer again, and SubEthaSMTP's HELO and transaction forgotten.
         */
        void switchTo(SSLSocket tls, SessionState state) throws IOException {
            session.setSocket(tls);
            installReplyWriter(state);
            session.resetSmtpProtocol();
        }
    }

    /** Runs a mailkit command where SubEthaSMTP's command handler expects one of its own. */
    private static final class CommandAdapter extends BaseCommand {
        private final MailkitCommand command;
        private final Engine engine;

        CommandAdapter(MailkitCommand command, Engine engine) {
            super(command.verb(), command.help());
            this.command = command;
            this.engine = engine;
        }

        @Override
        public void execute(String line, Session session) throws IOException, DropConnectionException {
            try {
                command.execute(line, engine.state(session));
            } catch (DropConnection e) {
                throw new DropConnectionException(e.code(), e.getMessage());
            }
        }
    }

    /**
     * The checks of the assumptions, in a class of their own so that they run even where a missing field makes
     * {@code SubethaAccess} itself fail to initialise.
     */
    static final class Assumptions {
        private Assumptions() {
        }

        /**
         * The assumptions above that can be checked without a connection (members, their types and visibility),
         * each broken one as a sentence; empty when this SubEthaSMTP looks like
         * {@value SubethaAccess#ASSUMED_VERSION}.
         */
        static List<String> broken() {
            List<String> broken = new ArrayList<>();
            expectField(broken, Session.class, "writer", PrintWriter.class);
            expectField(broken, ServerThread.class, "connectionPermits", Semaphore.class);
            expectConstructor(broken, Session.class, SMTPServer.class, ServerThread.class, Socket.class,
                    ProxyHandler.class);
            expectConstructor(broken, ServerThread.class, SMTPServer.class, ServerSocket.class, ProxyHandler.class);
            expectConstructor(broken, BaseCommand.class, String.class, String.class);
            expectMethod(broken, ServerThread.class, "sessionEnded", Session.class);
            expectMethod(broken, ServerThread.class, "hasTooManyConnections");
            for (String m : List.of("run", "getRawInput", "getReader", "resetSmtpProtocol", "quit", "getSocket",
                    "getSessionId", "getRealRemoteAddress")) {
                expectMethod(broken, Session.class, m);
            }
            expectMethod(broken, Session.class, "setSocket", Socket.class);
            expectMethod(broken, Session.class, "sendResponse", String.class);
            return broken;
        }

        /** The SubEthaSMTP version on the class path, from its Maven metadata ("unknown" if it has none). */
        static String detectedVersion() {
            try (InputStream in = SMTPServer.class.getResourceAsStream(
                    "/META-INF/maven/com.github.davidmoten/subethasmtp/pom.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }

        private static void expectField(List<String> broken, Class<?> c, String name, Class<?> type) {
            try {
                Field f = c.getDeclaredField(name);
                if (f.getType() != type || Modifier.isStatic(f.getModifiers())) {
                    broken.add(c.getSimpleName() + "." + name + " is no longer an instance field of type "
                            + type.getSimpleName());
                }
            } catch (NoSuchFieldException e) {
                broken.add(c.getSimpleName() + " has no field " + name);
            }
        }

        private static void expectConstructor(List<String> broken, Class<?> c, Class<?>... types) {
            try {
                Constructor<?> k = c.getDeclaredConstructor(types);
                if (Modifier.isPrivate(k.getModifiers())) {
                    broken.add(c.getSimpleName() + "'s constructor " + List.of(types) + " is private");
                }
            } catch (NoSuchMethodException e) {
                broken.add(c.getSimpleName() + " has no constructor " + List.of(types));
            }
        }

        private static void expectMethod(List<String> broken, Class<?> c, String name, Class<?>... types) {
            try {
                Method m = c.getMethod(name, types);
                if (Modifier.isStatic(m.getModifiers())) {
                    broken.add(c.getSimpleName() + "." + name + " is static");
                }
            } catch (NoSuchMethodException e) {
                broken.add(c.getSimpleName() + " has no public method " + name + List.of(types));
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
