package dev.mailkit.mailauth.dkim;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mailkit.core.MessageSource;
import dev.mailkit.dns.StaticDnsResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of DKIM verification (RFC 6376): signature tag lists, header and body canonicalisation, key
 * records. The input's first line is published as the key record of {@code fuzz._domainkey.origin.test}, the rest is
 * the message (with whatever DKIM-Signature fields the fuzzer wrote). Properties: verification never throws and gives
 * one result per signature; none of the fuzzer's signatures passes (it holds no private key of a published key); the
 * same message signed by mailkit's {@link DkimSigner} (RSA and Ed25519, keys made for this run) verifies as a pass,
 * whatever its content (sign-then-verify round trip); and a tag list that parses re-parses from its own text.
 */
class DkimFuzzTest {
    private static final KeyPair RSA = pair("RSA");
    private static final KeyPair ED = pair("Ed25519");

    private static KeyPair pair(String alg) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            if (alg.equals("RSA")) {
                g.initialize(1024);
            }
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String RSA_RECORD = "v=DKIM1; k=rsa; p="
            + Base64.getEncoder().encodeToString(RSA.getPublic().getEncoded());
    private static final String ED_RECORD = "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(
            Arrays.copyOfRange(ED.getPublic().getEncoded(), 12, 44));
    private static final DkimSigner RSA_SIGNER = DkimSigner.builder("origin.test", "rsa", RSA.getPrivate()).build();
    private static final DkimSigner ED_SIGNER = DkimSigner.builder("origin.test", "ed", ED.getPrivate()).build();

    @FuzzTest
    void verify(byte[] input) throws IOException {
        int nl = 0;
        while (nl < input.length && input[nl] != '\n') {
            nl++;
        }
        String keyRecord = new String(input, 0, nl, StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOfRange(input, Math.min(input.length, nl + 1), input.length);
        DkimVerifier verifier = DkimVerifier.builder().timeout(Duration.ofSeconds(2)).resolver(
                StaticDnsResolver.builder().txt("fuzz._domainkey.origin.test", keyRecord)
                        .txt("rsa._domainkey.origin.test", RSA_RECORD)
                        .txt("ed._domainkey.origin.test", ED_RECORD).build()).build();

        List<DkimResult> results = verifier.verify(MessageSource.of(message));
        for (DkimResult r : results) {
            assertThat(r.verdict()).isNotNull();
            assertThat(r.isPass()).as("a fuzzer's signature passed: %s", r).isFalse();
        }
        try {
            Map<String, String> tags = DkimVerifier.tagList(keyRecord);
            StringBuilder again = new StringBuilder();
            tags.forEach((k, v) -> again.append(k).append('=').append(v).append("; "));
            assertThat(DkimVerifier.tagList(again.toString())).isEqualTo(tags);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }

        for (DkimSigner signer : List.of(RSA_SIGNER, ED_SIGNER)) {
            String field;
            try {
                field = signer.sign(new ByteArrayInputStream(message), Instant.now());
            } catch (IllegalArgumentException e) {
                continue; // documented: no From: field (or a malformed one) cannot be signed
            }
            if (field != null) {
                byte[] signed = concat(field.getBytes(StandardCharsets.UTF_8), message);
                List<DkimResult> mine = verifier.verify(MessageSource.of(signed));
                assertThat(mine).as("results for our own signature").isNotEmpty();
                assertThat(mine.get(0).isPass()).as("our own signature: %s", mine.get(0)).isTrue();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
