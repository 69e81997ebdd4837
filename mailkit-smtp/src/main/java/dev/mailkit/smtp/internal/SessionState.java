package dev.mailkit.smtp.internal;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSpool;
import dev.mailkit.core.SmtpReply;
import dev.mailkit.core.TlsInfo;
import dev.mailkit.core.filter.SessionInfo;
import dev.mailkit.core.server.ConnectionLimiter;
import dev.mailkit.smtp.SmtpRole;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * mailkit's state for one SMTP session, kept beside SubEthaSMTP's session (reached only through
 * {@link SubethaAccess.Wire}): the role, HELO name, TLS and authentication, the mail transaction in progress, and
 * the connection's input and replies for the commands. Used only by the session's own thread (but read by filters
 * through {@link SessionInfo}).
 */
public final class SessionState implements SessionInfo {
    final SubethaAccess.Wire wire;
    final SmtpListener listener;
    private final Transcript transcript;
    private final InetSocketAddress client;
    private InetSocketAddress local;

    String heloName;
    boolean extended; // EHLO rather than HELO
    TlsInfo tls;
    String authenticatedUser;
    int authFailures;

    /** The transaction in progress (after MAIL), or null. */
    Envelope.Builder transaction;
    boolean smtpUtf8;
    /** BDAT state within the transaction. */
    MessageSpool.Writer chunkWriter;
    ChunkReader chunkReader;

    ConnectionLimiter.Permit permit;
    /** Whether the connect filters ran, so that the disconnect filters must run too. */
    boolean connectFiltered;
    final long startNanos = System.nanoTime();

    SessionState(SubethaAccess.Wire wire, SmtpListener listener, boolean transcripts) {
        this.wire = wire;
        this.listener = listener;
        this.transcript = Transcript.create(transcripts);
        this.client = wire.clientAddress();
    }

    /** The role of the port this session came in on. */
    public SmtpRole role() {
        return listener.role();
    }

    /** The transcript recorder of this session. */
    public Transcript recorder() {
        return transcript;
    }

    @Override
    public java.util.List<String> transcript() {
        return transcript.lines();
    }

    /** Sends a reply. */
    public void reply(SmtpReply reply) throws IOException {
        wire.send(reply.toWireFormat());
    }

    /**
     * Sends a reply as it is: lines without the last CRLF, for the replies that carry no enhanced status code
     * (EHLO, HELO, {@code 354}, {@code 334}).
     */
    public void replyRaw(String reply) throws IOException {
        wire.send(reply);
    }

    /** Closes the connection; the session ends after the current command. */
    public void closeConnection() {
        wire.quit();
    }

    /** The client's input after the command line, for message content (DATA, BDAT). */
    public InputStream input() {
        return wire.input();
    }

    /** One more line from the client (an AUTH response), or null if the client closed the connection. */
    public String readLine() throws IOException {
        return wire.readLine();
    }

    /** The connection's socket now. */
    public Socket socket() {
        return wire.socket();
    }

    /**
     * Continues the session over TLS after STARTTLS's handshake: new buffers, so that anything the client pipelined
     * in plaintext is dropped, and the replies go through TLS.
     */
    public void switchTo(SSLSocket tls) throws IOException {
        wire.switchTo(tls, this);
    }

    /** Sends a reply; a {@code 421} also closes the connection (RFC 5321 3.8). */
    public void finish(SmtpReply reply) throws IOException {
        reply(reply);
        if (reply.code() == 421) {
            wire.quit();
        }
    }

    /** Gives back this session's place under the connection limits (idempotent). */
    public void releaseConnectionSlot() {
        if (permit != null) {
            permit.close();
        }
    }

    /** Acts on a verdict that did not accept: sends its reply (closing after a 421) or drops the connection. */
    public void refuse(dev.mailkit.core.filter.FilterVerdict verdict) throws IOException {
        if (verdict.isDisconnect()) {
            resetTransaction();
            wire.quit();
            return;
        }
        finish(verdict.reply().orElseThrow());
    }

    /** Sends a reply given as code, status and text. */
    public void reply(int code, String status, String text) throws IOException {
        reply(SmtpReply.of(code, status, text));
    }

    /** Whether a transaction (MAIL ... DATA) is in progress. */
    public boolean inTransaction() {
        return transaction != null;
    }

    /** The transaction's envelope so far. */
    public Envelope.Builder transaction() {
        return transaction;
    }

    /** Starts a transaction. */
    public void startTransaction(Envelope.Builder b, boolean utf8) {
        this.transaction = b;
        this.smtpUtf8 = utf8;
    }

    /** Whether the transaction declared SMTPUTF8. */
    public boolean smtpUtf8() {
        return smtpUtf8;
    }

    /** Records HELO/EHLO. */
    public void hello(String name, boolean ehlo) {
        this.heloName = name;
        this.extended = ehlo;
    }

    /** Whether the client has said HELO or EHLO (since the last STARTTLS). */
    public boolean greeted() {
        return heloName != null;
    }

    /** Forgets HELO/EHLO (after STARTTLS the client must say EHLO again). */
    public void forgetHello() {
        this.heloName = null;
        this.extended = false;
    }

    /** Whether the client used EHLO. */
    public boolean extended() {
        return extended;
    }

    /** Records the authenticated user. */
    public void authenticated(String user) {
        this.authenticatedUser = user;
    }

    /** Counts a failed AUTH; returns the number of failures in this session. */
    public int authFailed() {
        return ++authFailures;
    }

    /** The BDAT spool writer of the transaction, or null before the first chunk. */
    public MessageSpool.Writer chunkWriter() {
        return chunkWriter;
    }

    /** The BDAT reader of the transaction, or null before the first chunk. */
    public ChunkReader chunkReader() {
        return chunkReader;
    }

    /** Starts collecting BDAT chunks. */
    public void startChunking(MessageSpool.Writer w, ChunkReader r) {
        this.chunkWriter = w;
        this.chunkReader = r;
    }

    /** Hands over the BDAT writer (so that resetting the transaction does not abort it). */
    public MessageSpool.Writer takeChunkWriter() {
        MessageSpool.Writer w = chunkWriter;
        chunkWriter = null;
        chunkReader = null;
        return w;
    }

    /** Ends the transaction, discarding any partly received BDAT content. */
    public void resetTransaction() {
        transaction = null;
        smtpUtf8 = false;
        if (chunkWriter != null) {
            chunkWriter.abort();
            chunkWriter = null;
        }
        chunkReader = null;
    }

    /** The RFC 3848 / RFC 6531 "with" protocol name for the Received header and the envelope. */
    public String protocol() {
        String base = smtpUtf8 ? "UTF8SMTP" : extended ? "ESMTP" : "SMTP";
        if (!extended && !smtpUtf8) {
            return base;
        }
        return base + (tls != null ? "S" : "") + (authenticatedUser != null ? "A" : "");
    }

    @Override
    public String sessionId() {
        return wire.sessionId();
    }

    @Override
    public InetSocketAddress clientAddress() {
        return client;
    }

    @Override
    public InetSocketAddress localAddress() {
        if (local == null) {
            local = (InetSocketAddress) wire.socket().getLocalSocketAddress(); // a system call: only on demand
        }
        return local;
    }

    @Override
    public Optional<String> heloName() {
        return Optional.ofNullable(heloName);
    }

    @Override
    public Optional<String> authenticatedUser() {
        return Optional.ofNullable(authenticatedUser);
    }

    @Override
    public Optional<TlsInfo> tls() {
        return Optional.ofNullable(tls);
    }

    @Override
    public String toString() {
        return "SmtpSession{" + sessionId() + " " + client + "}";
    }
}
