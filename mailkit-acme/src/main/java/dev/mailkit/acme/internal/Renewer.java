package dev.mailkit.acme.internal;

import dev.mailkit.acme.AcmeListener;
import dev.mailkit.acme.IssuanceException;
import dev.mailkit.core.tls.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The renewal loop, on one daemon thread of its own: at start the stored certificate (if it matches its key and
 * names every domain) is swapped into the target {@link TlsConfig}, and an attempt is scheduled for when it is due
 * (at once without one). An attempt runs the {@link Issuer}, stores the result, swaps it into the target (every
 * listener's next handshake uses it; open TLS sessions keep theirs) and schedules the next renewal; a failure keeps
 * the certificate served so far, is logged as one line and told to the listener, and is tried again after the
 * plan's back-off. Nothing here throws into a server. Attempts never overlap: they all run on the one thread.
 */
public final class Renewer implements AutoCloseable {
    private final Issuer issuer;
    private final CertificateStore store;
    private final TlsConfig target;
    private final RenewalPlan plan;
    private final List<String> domains;
    private final Clock clock;
    private final AcmeListener listener;
    private final ScheduledExecutorService thread;
    private volatile X509Certificate current;
    private volatile Instant next;
    private int failures;
    private ScheduledFuture<?> scheduled;

    public Renewer(Issuer issuer, CertificateStore store, TlsConfig target, RenewalPlan plan, List<String> domains,
                   Clock clock, AcmeListener listener) {
        this.issuer = issuer;
        this.store = store;
        this.target = target;
        this.plan = plan;
        this.domains = List.copyOf(domains);
        this.clock = clock;
        this.listener = listener;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailkit-acme-renewal");
            t.setDaemon(true);
            return t;
        });
    }

    /** Installs the stored certificate, if usable, and schedules the first attempt. */
    public void start() {
        Optional<TlsConfig> stored = store.certificate();
        Instant due = clock.instant();
        if (stored.isPresent()) {
            X509Certificate c = stored.get().certificate();
            Instant renewAt = plan.renewAt(c, domains);
            if (c.getNotAfter().toInstant().isAfter(clock.instant())) {
                target.replace(stored.get());
                current = c;
                Log.LOG.info("ACME: serving the stored certificate {} (serial {}, expires {}), renewal at {}",
                        store.chainFile(), c.getSerialNumber().toString(16), c.getNotAfter().toInstant(), renewAt);
                tell(() -> listener.certificateInstalled(c, false, renewAt));
                due = renewAt;
            }
        }
        Instant first = due;
        thread.execute(() -> schedule(first));
    }

    /** Runs an attempt now (after one under way) and returns the new certificate. */
    public X509Certificate renewNow() throws IssuanceException {
        Future<X509Certificate> f = thread.submit(this::attempt);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IssuanceException ie) {
                throw ie;
            }
            throw new IssuanceException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssuanceException("interrupted", e);
        }
    }

    /** The certificate installed by this renewer, if any yet. */
    public Optional<X509Certificate> current() {
        return Optional.ofNullable(current);
    }

    /** When the next attempt is scheduled. */
    public Optional<Instant> nextAttempt() {
        return Optional.ofNullable(next);
    }

    private void scheduledAttempt() {
        try {
            attempt();
        } catch (IssuanceException e) {
            // logged, told and rescheduled by attempt()
        }
    }

    private X509Certificate attempt() throws IssuanceException {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        try {
            Issuer.Issued issued = issuer.issue(store.accountKey());
            TlsConfig tls = store.save(issued.key(), issued.chain());
            target.replace(tls);
            X509Certificate c = tls.certificate();
            current = c;
            failures = 0;
            Instant renewAt = plan.renewAt(c, domains);
            Log.LOG.info("ACME: new certificate for {} (serial {}, expires {}) now served; renewal at {}", domains,
                    c.getSerialNumber().toString(16), c.getNotAfter().toInstant(), renewAt);
            tell(() -> listener.certificateInstalled(c, true, renewAt));
            schedule(renewAt);
            return c;
        } catch (IssuanceException | IOException | RuntimeException e) {
            if (thread.isShutdown()) { // closed meanwhile: not a failure to report or retry
                throw e instanceof IssuanceException ie ? ie : new IssuanceException("closed", e);
            }
            failures++;
            int n = failures;
            Duration wait = plan.retryDelay(n);
            Instant at = clock.instant().plus(wait);
            String reason = e instanceof IssuanceException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + Issuer.oneLine(e.getMessage());
            Log.LOG.warn("ACME: obtaining a certificate for {} failed ({} in a row), next attempt at {}: {}", domains,
                    n, at, reason);
            tell(() -> listener.attemptFailed(reason, n, at));
            schedule(at);
            throw e instanceof IssuanceException ie ? ie : new IssuanceException(reason, e);
        }
    }

    private void schedule(Instant at) {
        if (thread.isShutdown()) {
            return;
        }
        next = at;
        try {
            scheduled = thread.schedule(this::scheduledAttempt, RenewalPlan.until(clock.instant(), at).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private static void tell(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            Log.LOG.warn("ACME: a listener failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.acme");
    }
}
