package dev.mailkit.scan;

import java.time.Instant;
import java.util.Optional;

/**
 * How one scanner or milter is doing ({@link ScanFilter#health()}).
 *
 * @param name        its name
 * @param up          whether it answered its ping
 * @param detail      what it answered, or why it did not (printable text)
 * @param skipUntil   while its circuit breaker is open, until when the filter skips it
 */
public record ScannerHealth(String name, boolean up, String detail, Optional<Instant> skipUntil) {
}
