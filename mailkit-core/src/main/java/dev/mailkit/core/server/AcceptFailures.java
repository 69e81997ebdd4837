package dev.mailkit.core.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What an accept loop does when {@code accept()} fails, typically because the process is out of file descriptors
 * ({@code EMFILE}, "Too many open files"): it waits 50 ms before the next try instead of spinning, and logs the first
 * failure of a run and the end of the run, not every try (a server out of descriptors for minutes would otherwise
 * write 20 warnings a second per listener). The connections that arrive meanwhile wait in the listen backlog and are
 * served once descriptors are free again. One per accept loop; used by that loop's thread only (not thread-safe).
 */
public final class AcceptFailures {
    static final long PAUSE_MILLIS = 50;

    private final String listener;
    private long failures;
    private boolean logged;

    /** @param listener the listener's name in the log (e.g. {@code imap} or {@code SMTP MX listener}) */
    public AcceptFailures(String listener) {
        this.listener = listener;
        // loaded now, initialised (SLF4J) only when first used: out of descriptors, no class file can be opened, and
        // a class that cannot be loaded then would end the accept loop with a NoClassDefFoundError
        Objects.requireNonNull(Log.class);
    }

    /** After a failed {@code accept()}: logs it if it starts a run of failures, then pauses before the next try. */
    public void failed(IOException e) {
        failures++;
        if (!logged) {
            try {
                Log.LOG.warn("{}: accept failed: {}; trying again every {} ms (out of file descriptors? raise the "
                        + "limit, ulimit -n, or lower the connection limits)", listener, e.toString(), PAUSE_MILLIS);
                logged = true;
            } catch (LinkageError notNow) {
                // the logging library's classes cannot be loaded while no descriptor is free: log on a later try
            }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS));
    }

    /** After an {@code accept()} that worked: logs the end of a run of failures, if one was going on. */
    public void succeeded() {
        if (failures > 0) {
            try {
                if (logged) {
                    Log.LOG.warn("{}: accepting again after {} failed tries", listener, failures);
                }
            } catch (LinkageError notNow) {
                // as above
            }
            failures = 0;
            logged = false;
        }
    }

    /** The logger, created when first used: a server that never fails to accept never initialises SLF4J for it. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(AcceptFailures.class);
    }
}
