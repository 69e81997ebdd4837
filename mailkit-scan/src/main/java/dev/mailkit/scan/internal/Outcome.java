package dev.mailkit.scan.internal;

import dev.mailkit.core.MessageSource;
import dev.mailkit.scan.ScanResult;

import java.util.List;

/**
 * What one scanner or milter came to at the end of DATA.
 *
 * @param status     scanned, skipped (with a reason), failed (with a reason), or not asked at all
 * @param result     the result, when scanned
 * @param reason     why it was skipped or failed (printable, short)
 * @param newBody    a milter's replacement body (owned by the outcome's receiver), or null
 * @param added      recipients a milter added
 * @param deleted    recipients a milter deleted
 * @param quarantine a milter's quarantine reason, or null
 */
public record Outcome(Status status, ScanResult result, String reason, MessageSource newBody, List<String> added,
                      List<String> deleted, String quarantine) {
    /** The kinds of outcome. */
    public enum Status {
        /** The scanner answered. */
        SCANNED,
        /** The scanner was not given this message (too large). */
        SKIPPED,
        /** The scanner gave no answer, or is skipped for now after failing again and again. */
        FAILED,
        /** The scanner is not asked about this message at all (an authenticated submission, not scanned). */
        NOT_APPLICABLE
    }

    /** An answer. */
    public static Outcome scanned(ScanResult r) {
        return new Outcome(Status.SCANNED, r, null, null, List.of(), List.of(), null);
    }

    /** Not given the message. */
    public static Outcome skipped(String reason) {
        return new Outcome(Status.SKIPPED, null, reason, null, List.of(), List.of(), null);
    }

    /** No answer. */
    public static Outcome failed(String reason) {
        return new Outcome(Status.FAILED, null, reason, null, List.of(), List.of(), null);
    }

    /** Not asked. */
    public static Outcome notApplicable() {
        return new Outcome(Status.NOT_APPLICABLE, null, null, null, List.of(), List.of(), null);
    }
}
