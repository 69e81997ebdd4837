package dev.mailkit.acme.internal;

/** A listener that answers the CA's validation requests from {@link Challenges}. Closing it frees its port. */
public interface ChallengeResponder extends AutoCloseable {
    /** The bound port (the real one when 0 was asked for). */
    int port();

    @Override
    void close();
}
