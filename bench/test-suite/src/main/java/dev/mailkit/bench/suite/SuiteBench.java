package dev.mailkit.bench.suite;

import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs {@link MailkitSuite} and {@link GreenMailSuite} (100 tests each) through the JUnit launcher in this JVM,
 * alternating, after a warm-up round of each, and prints each class's median wall time and the ratio.
 * Usage: SuiteBench [rounds=5]
 */
public final class SuiteBench {
    private SuiteBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Launcher launcher = LauncherFactory.create();
        run(launcher, GreenMailSuite.class);
        run(launcher, MailkitSuite.class);
        double[] gm = new double[rounds];
        double[] mk = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            gm[i] = run(launcher, GreenMailSuite.class);
            mk[i] = run(launcher, MailkitSuite.class);
            System.out.printf("round %d: greenmail %.0f ms, mailkit %.0f ms%n", i + 1, gm[i], mk[i]);
        }
        Arrays.sort(gm);
        Arrays.sort(mk);
        double g = gm[rounds / 2];
        double m = mk[rounds / 2];
        System.out.printf("100 tests (send with Jakarta Mail, read back over IMAP), median of %d rounds:%n", rounds);
        System.out.printf("  GreenMail 2.1.8   %7.0f ms%n  mailkit-test      %7.0f ms%n  mailkit is %.1fx faster%n",
                g, m, g / m);
    }

    private static double run(Launcher launcher, Class<?> suite) {
        LauncherDiscoveryRequest req = request().selectors(selectClass(suite)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        long t0 = System.nanoTime();
        launcher.execute(req, listener);
        double ms = (System.nanoTime() - t0) / 1e6;
        TestExecutionSummary s = listener.getSummary();
        if (s.getTestsSucceededCount() != 100) {
            s.printFailuresTo(new java.io.PrintWriter(System.err), 5);
            throw new IllegalStateException(suite.getSimpleName() + ": " + s.getTestsSucceededCount()
                    + " of 100 tests passed");
        }
        return ms;
    }
}
