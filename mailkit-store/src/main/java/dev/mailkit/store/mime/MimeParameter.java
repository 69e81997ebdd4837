package dev.mailkit.store.mime;

import java.util.Objects;

/**
 * One parameter of a {@code Content-Type} or {@code Content-Disposition} field, unquoted. RFC 2231 continuations
 * ({@code name*0}, {@code name*1} ...) are joined into one parameter; if any piece was extended ({@code *}), the
 * joined parameter is named {@code name*} and its value keeps the {@code charset'language'%XX} form, as IMAP
 * servers report it.
 *
 * @param name  the name as written (compare ignoring case)
 * @param value the value, without quotes and quoting backslashes
 */
public record MimeParameter(String name, String value) {
    /** Validates. */
    public MimeParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
