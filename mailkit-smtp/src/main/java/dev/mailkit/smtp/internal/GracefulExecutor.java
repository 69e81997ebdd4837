package dev.mailkit.smtp.internal;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wraps the connection executor handed to SubEthaSMTP: SubEthaSMTP's stop() waits forever for sessions to end; this
 * wrapper waits at most the grace period, then interrupts what is still running, so that close() returns in time
 * even when a handler hangs.
 */
final class GracefulExecutor extends AbstractExecutorService {
    private final ExecutorService delegate;
    private final long graceMillis;

    GracefulExecutor(ExecutorService delegate, long graceMillis) {
        this.delegate = delegate;
        this.graceMillis = graceMillis;
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long wait = Math.min(unit.toMillis(timeout), graceMillis);
        if (delegate.awaitTermination(wait, TimeUnit.MILLISECONDS)) {
            return true;
        }
        delegate.shutdownNow();
        return delegate.awaitTermination(100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable command) {
        delegate.execute(command);
    }
}
