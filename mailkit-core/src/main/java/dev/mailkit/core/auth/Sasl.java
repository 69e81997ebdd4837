package dev.mailkit.core.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SASL responses of the mechanisms mailkit's servers offer, PLAIN (RFC 4616) and LOGIN, decoded one way for SMTP
 * AUTH (RFC 4954), IMAP AUTHENTICATE (RFC 3501, RFC 4959) and POP3 AUTH (RFC 5034). The protocols frame the exchange
 * (challenges, {@code *} to cancel, line limits) and word their replies; this class turns the base64 responses into
 * {@link Credentials}, or says with a {@link Problem} what was wrong with a malformed one.
 *
 * <p>A response of a single {@code =} is an empty response (RFC 4954 4, RFC 5034 4, RFC 4959 3). Decoded bytes are
 * wiped once they are turned into characters; the password is a {@code char[]} for the caller to {@link
 * Credentials#wipe() wipe}. Stateless and thread-safe.
 */
public final class Sasl {
    /** The LOGIN mechanism's first challenge: base64 of {@code Username:}. */
    public static final String LOGIN_USERNAME_CHALLENGE = "VXNlcm5hbWU6";
    /** The LOGIN mechanism's second challenge: base64 of {@code Password:}. */
    public static final String LOGIN_PASSWORD_CHALLENGE = "UGFzc3dvcmQ6";

    private Sasl() {
    }

    /** What is wrong with a malformed response, for the protocol to word its reply. */
    public enum Problem {
        /** Not base64. */
        BASE64,
        /** Not what the mechanism expects (PLAIN: {@code authzid NUL authcid NUL password}). */
        SYNTAX,
        /** Not UTF-8. */
        ENCODING
    }

    /** A response that cannot be decoded; {@link #problem()} says why. */
    public static final class MalformedResponseException extends Exception {
        /** Serialisation version. */
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        MalformedResponseException(Problem problem) {
            super(problem.name());
            this.problem = problem;
        }

        /** What is wrong with the response. */
        public Problem problem() {
            return problem;
        }
    }

    /**
     * Decoded credentials.
     *
     * @param authorizationId the identity to act as (empty: the user's own)
     * @param username        the authentication identity
     * @param password        the password (wipe it when done)
     */
    public record Credentials(String authorizationId, String username, char[] password) {
        /** Whether the authorization identity is empty or the user's own (acting as another user is not offered). */
        public boolean authorizationAllowed() {
            return authorizationId.isEmpty() || authorizationId.equals(username);
        }

        /** Overwrites the password. */
        public void wipe() {
            Arrays.fill(password, '\0');
        }
    }

    /**
     * A PLAIN response: base64 of {@code [authzid] NUL authcid NUL passwd}, exactly two NULs (RFC 4616 2).
     *
     * @throws MalformedResponseException with {@link Problem#BASE64}, {@link Problem#SYNTAX} or
     *                                    {@link Problem#ENCODING}, checked in that order
     */
    public static Credentials plain(String response) throws MalformedResponseException {
        byte[] b = base64(response);
        try {
            int first = indexOfNul(b, 0);
            int second = first < 0 ? -1 : indexOfNul(b, first + 1);
            if (second < 0 || indexOfNul(b, second + 1) >= 0) {
                throw new MalformedResponseException(Problem.SYNTAX);
            }
            String authz = new String(utf8(b, 0, first));
            String user = new String(utf8(b, first + 1, second));
            return new Credentials(authz, user, utf8(b, second + 1, b.length));
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * The two LOGIN responses together, both checked for base64 before either for UTF-8.
     *
     * @throws MalformedResponseException with {@link Problem#BASE64} or {@link Problem#ENCODING}
     */
    public static Credentials login(String usernameResponse, String passwordResponse)
            throws MalformedResponseException {
        byte[] u = base64(usernameResponse);
        byte[] p = base64(passwordResponse);
        try {
            return new Credentials("", new String(utf8(u, 0, u.length)), utf8(p, 0, p.length));
        } finally {
            Arrays.fill(u, (byte) 0);
            Arrays.fill(p, (byte) 0);
        }
    }

    /**
     * One response as text, for a protocol that checks LOGIN's user name before it asks for the password.
     *
     * @throws MalformedResponseException with {@link Problem#BASE64} or {@link Problem#ENCODING}
     */
    public static String text(String response) throws MalformedResponseException {
        return new String(secret(response));
    }

    /**
     * One response as characters, for LOGIN's password (wipe them when done).
     *
     * @throws MalformedResponseException with {@link Problem#BASE64} or {@link Problem#ENCODING}
     */
    public static char[] secret(String response) throws MalformedResponseException {
        byte[] b = base64(response);
        try {
            return utf8(b, 0, b.length);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static byte[] base64(String response) throws MalformedResponseException {
        if (response.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(response);
        } catch (IllegalArgumentException e) {
            throw new MalformedResponseException(Problem.BASE64);
        }
    }

    private static char[] utf8(byte[] b, int from, int to) throws MalformedResponseException {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from));
            char[] c = new char[cb.remaining()];
            cb.get(c);
            if (cb.hasArray()) {
                Arrays.fill(cb.array(), '\0');
            }
            return c;
        } catch (CharacterCodingException e) {
            throw new MalformedResponseException(Problem.ENCODING);
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
