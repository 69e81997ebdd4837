package dev.mailkit.core.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
    private static final MethodHandle VIRTUAL_FACTORY = findVirtualThreadExecutorFactory();

    private ServerExecutors() {
    }

    /** Whether this JVM has virtual threads (JDK 21+). */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL_FACTORY != null;
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
        if (virtual && VIRTUAL_FACTORY != null) {
            try {
                return (ExecutorService) VIRTUAL_FACTORY.invoke(namePrefix);
            } catch (Throwable e) {
                // fall through to platform threads
            }
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Math.max(1, maxThreads), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), platformFactory(namePrefix));
        return pool;
    }

    /** A factory for named daemon platform threads. */
    public static ThreadFactory platformFactory(String namePrefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, namePrefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static MethodHandle findVirtualThreadExecutorFactory() {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> builderClass = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtualClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle ofVirtual = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualClass));
            MethodHandle name = l.findVirtual(ofVirtualClass, "name",
                    MethodType.methodType(ofVirtualClass, String.class, long.class));
            MethodHandle factory = l.findVirtual(builderClass, "factory", MethodType.methodType(ThreadFactory.class));
            // (String prefix) -> Thread.ofVirtual().name(prefix, 1).factory()
            MethodHandle named = MethodHandles.insertArguments(name, 2, 1L); // (OfVirtual, String) -> OfVirtual
            MethodHandle withBuilder = MethodHandles.foldArguments(named, ofVirtual); // (String) -> OfVirtual
            MethodHandle perTask = l.findStatic(Executors.class, "newThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class, ThreadFactory.class));
            MethodHandle toFactory = MethodHandles.filterReturnValue(withBuilder,
                    factory.asType(MethodType.methodType(ThreadFactory.class, ofVirtualClass)));
            // (String prefix) -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(prefix, 1).factory())
            return MethodHandles.filterReturnValue(toFactory, perTask);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
