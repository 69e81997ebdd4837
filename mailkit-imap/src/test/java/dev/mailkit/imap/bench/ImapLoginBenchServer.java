package dev.mailkit.imap.bench;

import dev.mailkit.core.auth.InMemoryUserDirectory;
import dev.mailkit.core.auth.PasswordHash;
import dev.mailkit.core.auth.VerificationCache;
import dev.mailkit.core.server.AuthFailurePenalty;
import dev.mailkit.imap.ImapServer;
import dev.mailkit.store.memory.MemoryMailStore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The mailkit side of bench/imap-login.sh: an IMAP server over an empty in-memory store whose one user,
 * rcpt@local.test / secret, has a PBKDF2 hash of {@value PasswordHash#DEFAULT_ITERATIONS} iterations (the default),
 * with the cache of successful verifications on ({@code cache}) or off ({@code nocache}).
 * Arguments: {@code PORT cache|nocache}. Prints {@code ready PORT}; stops when stdin closes.
 */
public final class ImapLoginBenchServer {
    private ImapLoginBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        boolean cache = args[1].equals("cache");
        InMemoryUserDirectory users = InMemoryUserDirectory.builder()
                .verificationCache(cache ? VerificationCache.defaults() : VerificationCache.disabled())
                .user("rcpt@local.test", "secret").build();
        try (MemoryMailStore store = MemoryMailStore.create();
             ImapServer server = ImapServer.builder().users(users).store(store).port(port)
                     .authFailurePenalty(AuthFailurePenalty.none()).build().start()) {
            System.out.println("ready " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            while (in.readLine() != null) {
                // until stdin closes
            }
        }
    }
}
