package dev.mailkit.core.server;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for connection handling: one virtual thread per connection on JDK 21 and later (found by reflection, as
 * mailkit is compiled for Java 17), a bounded pool of daemon platform threads on JDK 17. Each server creates its own
 * executor, so two servers never share threads.
 */
public final class ServerExecutors {
    private static final Method[] VIRTUAL = findVirtualThreadMethods();

    private ServerExecutors() {
    }

    /** Whether this JVM has virtual threads (JDK 21+). */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL != null;
    }

    /**
     * An executor for connections.
     *
     * @param namePrefix thread name prefix, e.g. {@code mailkit-smtp-2525-}
     * @param maxThreads the most platform threads on JDK 17 (at least the connection limit, so that every admitted
     *                   connection gets a thread); ignored with virtual threads
     * @param virtual    whether to use virtual threads when the JVM has them
     */
    public static ExecutorService forConnections(String namePrefix, int maxThreads, boolean virtual) {
        if (virtual && VIRTUAL != null) {
            try {
                return virtualThreadExecutor(namePrefix);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // fall through to platform threads
            }
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Math.max(1, maxThreads), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), platformFactory(namePrefix));
        return pool;
    }

    /** A factory for named daemon platform threads. */
    public static ThreadFactory platformFactory(String namePrefix) {
        return new DaemonFactory(namePrefix);
    }

    private static final class DaemonFactory implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger n = new AtomicInteger();

        DaemonFactory(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * {@code Thread.ofVirtual()}, {@code OfVirtual.name(String, long)}, {@code Builder.factory()} and
     * {@code Executors.newThreadPerTaskExecutor(ThreadFactory)}, found by plain reflection (method-handle combinators
     * would cost a JVM's first server start many milliseconds), or null before JDK 21.
     */
    private static Method[] findVirtualThreadMethods() {
        try {
            Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
            return new Method[] {
                Thread.class.getMethod("ofVirtual"),
                ofVirtualClass.getMethod("name", String.class, long.class),
                builderClass.getMethod("factory"),
                Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)};
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static ExecutorService virtualThreadExecutor(String namePrefix) throws ReflectiveOperationException {
        Object builder = VIRTUAL[0].invoke(null);
        builder = VIRTUAL[1].invoke(builder, namePrefix, 1L);
        ThreadFactory factory = (ThreadFactory) VIRTUAL[2].invoke(builder);
        return (ExecutorService) VIRTUAL[3].invoke(null, factory);
    }
}
