package dev.mailkit.core.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Signs outgoing mail for one domain: the relay asks the signer whose {@link #domain()} is the message's
 * {@code From:} domain or its nearest parent, and prepends the header field it returns. {@code mailkit-mailauth}'s
 * {@code DkimSigner} implements it (RFC 6376). Implementations must be thread-safe.
 */
public interface MessageSigner {
    /** The domain this signer signs for (lower case ASCII); it also signs for the domain's subdomains. */
    String domain();

    /**
     * The header field to prepend to the message, folded, ending in CRLF.
     *
     * @param message the message with CRLF line ends, read to its end
     * @param time    the signing time
     * @throws IOException if the message cannot be read or has no header the signer needs
     */
    String sign(InputStream message, Instant time) throws IOException;
}
