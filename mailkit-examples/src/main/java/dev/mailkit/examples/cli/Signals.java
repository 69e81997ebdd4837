package dev.mailkit.examples.cli;

/** SIGHUP, through the JDK's {@code sun.misc.Signal} (in {@code jdk.unsupported}, present in every JDK since 9). */
final class Signals {
    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP; where the JVM cannot handle it (Windows), nothing happens. */
    @SuppressWarnings("removal")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this platform: reload through 'mailkit reload'
        }
    }
}
