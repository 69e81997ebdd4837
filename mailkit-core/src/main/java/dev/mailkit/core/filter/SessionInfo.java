package dev.mailkit.core.filter;

import dev.mailkit.core.TlsInfo;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a filter may know about the SMTP session that is calling it, as it stands at the time of the call.
 * Implementations are provided by the server; a filter must not keep the object beyond the call.
 */
public interface SessionInfo {
    /** The session id, as it appears in logs and {@code Received:} headers. */
    String sessionId();

    /** The client's address and port. */
    InetSocketAddress clientAddress();

    /** The server's local address and port. */
    InetSocketAddress localAddress();

    /** The HELO/EHLO name, once given. */
    Optional<String> heloName();

    /** The user the client authenticated as, if any. */
    Optional<String> authenticatedUser();

    /** The TLS in use, if any. */
    Optional<TlsInfo> tls();

    /**
     * The session's conversation so far, one line per command and reply ({@code C: }, {@code S: }), without message
     * content or credentials; empty unless the server records transcripts.
     */
    default List<String> transcript() {
        return List.of();
    }
}
