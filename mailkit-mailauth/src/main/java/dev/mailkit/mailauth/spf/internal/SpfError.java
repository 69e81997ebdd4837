package dev.mailkit.mailauth.spf.internal;

import dev.mailkit.mailauth.spf.SpfResult.Result;

/** A temperror or permerror that ends a whole SPF evaluation. */
public final class SpfError extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Result result;

    SpfError(Result result, String message) {
        super(message);
        this.result = result;
    }

    /** TEMPERROR or PERMERROR. */
    public Result result() {
        return result;
    }
}
