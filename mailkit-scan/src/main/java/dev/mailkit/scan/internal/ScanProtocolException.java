package dev.mailkit.scan.internal;

import java.io.IOException;

/** A scanner answered something that is not its protocol (garbage, an answer too long, an unknown verdict). */
public final class ScanProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With a message that says what was wrong (never the scanner's raw bytes beyond a short, printable excerpt). */
    public ScanProtocolException(String message) {
        super(message);
    }
}
