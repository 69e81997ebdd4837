package dev.mailkit.search.internal;

import dev.mailkit.store.MailboxView;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one mailbox's index current as mail arrives and is expunged: a read-only view (it never claims
 * {@code \Recent}) whose change listener schedules one catch-up at a time on the index's executor, so the next
 * search finds the work done. Thread-safe.
 */
final class Watcher implements AutoCloseable {
    private final MailboxView view;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;

    Watcher(MailboxView view, ExecutorService pool, Runnable catchUp) {
        this.view = view;
        view.setChangeListener(() -> {
            if (!closed && scheduled.compareAndSet(false, true)) {
                try {
                    pool.execute(() -> {
                        scheduled.set(false);
                        if (!closed) {
                            view.sync(); // the view's own queue of changes is consumed; the index reads the mailbox
                            catchUp.run();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    scheduled.set(false);
                }
            }
        });
    }

    /** The watched mailbox (a handle owned by the view). */
    dev.mailkit.store.Mailbox mailbox() {
        return view.mailbox();
    }

    @Override
    public void close() {
        closed = true;
        view.setChangeListener(null);
        view.close();
    }
}
