package dev.mailkit.acme;

import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * What {@link AcmeCertificates} tells the application: each certificate it starts serving and each attempt that
 * failed. Called on the renewal thread, one call at a time; a listener must return quickly and not throw (what it
 * throws is logged and ignored). The default methods do nothing.
 */
public interface AcmeListener {
    /**
     * A certificate now served by every listener: freshly issued, or read back from the storage directory at start.
     *
     * @param certificate the leaf certificate
     * @param issued      true when the CA just issued it, false when it was read from disk
     * @param renewAt     when it will be renewed
     */
    default void certificateInstalled(X509Certificate certificate, boolean issued, Instant renewAt) {
    }

    /**
     * An attempt to obtain a certificate failed; the certificate served so far stays.
     *
     * @param reason              one line: what failed (the CA's problem document when there is one)
     * @param consecutiveFailures failures since the last success, this one included
     * @param nextAttempt         when the next attempt is made
     */
    default void attemptFailed(String reason, int consecutiveFailures, Instant nextAttempt) {
    }
}
