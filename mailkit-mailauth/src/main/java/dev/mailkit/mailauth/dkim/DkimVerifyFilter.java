package dev.mailkit.mailauth.dkim;

import dev.mailkit.core.Envelope;
import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.FilterVerdict;
import dev.mailkit.core.filter.MailFilter;
import dev.mailkit.core.filter.SessionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Checks the DKIM signatures of every message at the end of DATA and records what it found in an
 * {@code Authentication-Results} field (RFC 8601) at the top of the message, e.g.
 * {@code Authentication-Results: mx.example.com; dkim=pass header.d=sender.example header.s=s1 header.b=AbCdEfGh},
 * or {@code dkim=none} for a message without signatures. It never refuses mail: what to do with a failing signature
 * is the reader's (or a later filter's, or DMARC's) decision. A message whose signatures cannot be read gets
 * {@code dkim=temperror}.
 *
 * <p>Use it as one of {@code SmtpServer.Builder.filters(...)}; {@code authservId} is the name of this server as the
 * field's readers know it (usually its host name). It does not remove Authentication-Results fields the message
 * already had: readers must trust only the ones with their own server's name, at the top. Thread-safe.
 */
public final class DkimVerifyFilter implements MailFilter {
    private final DkimVerifier verifier;
    private final String authservId;

    /**
     * A filter that verifies with {@code verifier} and names this server {@code authservId}.
     *
     * @throws IllegalArgumentException if {@code authservId} is empty or not printable ASCII without spaces
     */
    public DkimVerifyFilter(DkimVerifier verifier, String authservId) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(authservId, "authservId");
        if (authservId.isEmpty() || !authservId.chars().allMatch(c -> c > 32 && c < 127 && c != ';')) {
            throw new IllegalArgumentException("authservId must be a host name such as mx.example.com, was '"
                    + authservId + "'");
        }
        this.authservId = authservId;
    }

    @Override
    public FilterVerdict onData(SessionInfo session, Envelope envelope, MessageSource message) {
        String results;
        try {
            List<DkimResult> found = verifier.verify(message);
            if (found.isEmpty()) {
                results = "dkim=none";
            } else {
                StringBuilder sb = new StringBuilder();
                for (DkimResult r : found) {
                    sb.append(sb.length() == 0 ? "" : "; ").append(r.authenticationResult());
                }
                results = sb.toString();
            }
        } catch (IOException | RuntimeException e) {
            Log.LOG.warn("{}: cannot check DKIM signatures: {}", session.sessionId(), e.toString());
            results = "dkim=temperror (the message could not be read)";
        }
        return FilterVerdict.addHeader("Authentication-Results", authservId + "; " + results);
    }

    @Override
    public String toString() {
        return "DkimVerifyFilter[" + authservId + "]";
    }

    /** The logger, created when first used. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(DkimVerifyFilter.class);
    }
}
