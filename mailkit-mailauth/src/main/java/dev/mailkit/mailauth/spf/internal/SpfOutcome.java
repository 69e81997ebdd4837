package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;

/**
 * What check_host found for one domain.
 *
 * @param result the result
 * @param detail what decided it
 * @param exp    the domain's exp= modifier (for a fail's explanation), or null
 * @param domain the domain whose record decided
 */
public record SpfOutcome(Result result, String detail, String exp, String domain) {
}
