package dev.mailkit.pop3.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Decodes SASL PLAIN (RFC 4616) and LOGIN responses. Stateless. */
public final class Sasl {
    /** The LOGIN mechanism's first challenge, base64 of {@code Username:}. */
    public static final String USERNAME = "VXNlcm5hbWU6";
    /** The LOGIN mechanism's second challenge, base64 of {@code Password:}. */
    public static final String PASSWORD = "UGFzc3dvcmQ6";

    private Sasl() {
    }

    /** The client cancelled the exchange with {@code *}. */
    public static final class Cancelled extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** A response line was too long (already answered). */
    public static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** A response that is not valid base64 or not valid for the mechanism; the message is the reply text. */
    public static final class Malformed extends IOException {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    /**
     * Decoded credentials.
     *
     * @param authorizationId the identity to act as (empty: the same as the user)
     * @param username        the authentication identity
     * @param password        the password (wipe it)
     */
    public record Credentials(String authorizationId, String username, char[] password) {
        /** Whether the authorization identity is empty or the user's own (acting as someone else is not supported). */
        public boolean authorizationAllowed() {
            return authorizationId.isEmpty() || authorizationId.equals(username);
        }

        /** Wipes the password. */
        public void wipe() {
            Arrays.fill(password, '\0');
        }
    }

    /** PLAIN: base64 of {@code authzid NUL authcid NUL passwd}. */
    public static Credentials plain(String base64) throws Malformed {
        byte[] b = decode(base64);
        try {
            int first = indexOfNul(b, 0);
            int second = first < 0 ? -1 : indexOfNul(b, first + 1);
            if (second < 0 || indexOfNul(b, second + 1) >= 0) {
                throw new Malformed("Malformed PLAIN response (authzid NUL authcid NUL password expected)");
            }
            String authz = new String(utf8(Arrays.copyOfRange(b, 0, first)));
            String user = new String(utf8(Arrays.copyOfRange(b, first + 1, second)));
            char[] pw = utf8(Arrays.copyOfRange(b, second + 1, b.length));
            return new Credentials(authz, user, pw);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /** LOGIN: the base64 user name and password responses. */
    public static Credentials login(String base64User, String base64Password) throws Malformed {
        byte[] u = decode(base64User);
        byte[] p = decode(base64Password);
        try {
            return new Credentials("", new String(utf8(u)), utf8(p));
        } finally {
            Arrays.fill(p, (byte) 0);
        }
    }

    private static byte[] decode(String base64) throws Malformed {
        if (base64.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new Malformed("Invalid base64 in SASL response");
        }
    }

    private static char[] utf8(byte[] b) throws Malformed {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            char[] c = new char[cb.remaining()];
            cb.get(c);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return c;
        } catch (CharacterCodingException e) {
            throw new Malformed("SASL credentials must be UTF-8");
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
