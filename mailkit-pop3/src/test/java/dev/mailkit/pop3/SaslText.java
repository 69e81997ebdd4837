package dev.mailkit.pop3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Client-side SASL responses for tests. */
final class SaslText {
    private SaslText() {
    }

    /** A PLAIN response: base64 of authzid NUL authcid NUL password. */
    static String plain(String authz, String user, String password) {
        return b64(authz + "\0" + user + "\0" + password);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
