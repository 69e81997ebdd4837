package dev.mailkit.scan.daemons;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.security.KeyPair;
import java.util.function.Supplier;

/**
 * Gives tests the real daemons as parameters ({@link Clamd}, {@link Spamd}, {@link Rspamd}, {@link ClamavMilter},
 * {@link OpenDkimPair}), each started once for the whole test run, when a test first asks for it, and stopped at
 * the end of the run (JUnit's root store closes them). A daemon whose program is not installed skips the test (and
 * fails it under CI, where {@code .ci/run} installs them all).
 */
public final class RealDaemons implements ParameterResolver {
    /** A signing and a verifying OpenDKIM with the same key. */
    public record OpenDkimPair(OpenDkim signer, OpenDkim verifier) {
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        Class<?> t = p.getParameter().getType();
        return t == Clamd.class || t == Spamd.class || t == Rspamd.class || t == ClamavMilter.class
                || t == OpenDkimPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) throws ParameterResolutionException {
        Class<?> t = p.getParameter().getType();
        if (t == Clamd.class) {
            return clamd(c);
        }
        if (t == Spamd.class) {
            return shared(c, Spamd.class, Spamd::new);
        }
        if (t == Rspamd.class) {
            return shared(c, Rspamd.class, Rspamd::new);
        }
        if (t == ClamavMilter.class) {
            Clamd clamd = clamd(c);
            return shared(c, ClamavMilter.class, () -> new ClamavMilter(clamd));
        }
        return shared(c, OpenDkimPair.class, () -> {
            KeyPair key = OpenDkim.newKey();
            OpenDkim signer = new OpenDkim(OpenDkim.Mode.SIGN, key);
            try {
                return new Closing<>(new OpenDkimPair(signer, new OpenDkim(OpenDkim.Mode.VERIFY, key)));
            } catch (RuntimeException | Error e) {
                signer.close();
                throw e;
            }
        });
    }

    private static Clamd clamd(ExtensionContext c) {
        return shared(c, Clamd.class, Clamd::new);
    }

    /** Holds something that is not itself closeable but owns daemons. */
    private record Closing<T>(T value) implements AutoCloseable {
        @Override
        public void close() {
            if (value instanceof OpenDkimPair p) {
                p.signer().close();
                p.verifier().close();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T shared(ExtensionContext c, Class<T> type, Supplier<?> start) {
        ExtensionContext.Store store = c.getRoot().getStore(ExtensionContext.Namespace.create(RealDaemons.class));
        Object held = store.getOrComputeIfAbsent(type, k -> new Resource(start.get()), Resource.class).value;
        return (T) (held instanceof Closing<?> cl ? cl.value() : held);
    }

    /** Closed by JUnit at the end of the run (the root store closes AutoCloseable values). */
    private record Resource(Object value) implements AutoCloseable {
        @Override
        public void close() {
            if (value instanceof Daemon d) {
                d.close();
            } else if (value instanceof Closing<?> c) {
                c.close();
            }
        }
    }
}
