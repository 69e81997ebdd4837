package dev.mailkit.core.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the PEM reader ({@link Pem}): certificates and keys from files an operator points at.
 * Properties: only {@link IllegalArgumentException} (with the file's name in its message) is thrown, whatever the text;
 * certificates that were read survive a round trip through {@link Pem#encode} (same DER, same certificate); a key that
 * was read re-encodes as PKCS#8 and reads back equal. Regression inputs: {@code PemFuzzTestInputs/}.
 */
class PemFuzzTest {
    @FuzzTest
    void read(byte[] input) throws CertificateEncodingException {
        String pem = new String(input, StandardCharsets.UTF_8);
        try {
            List<X509Certificate> certs = Pem.certificates(pem, "fuzz.pem");
            assertThat(certs).isNotEmpty();
            for (X509Certificate c : certs) {
                List<X509Certificate> again = Pem.certificates(Pem.encode("CERTIFICATE", c.getEncoded()), "again");
                assertThat(again).hasSize(1);
                assertThat(again.get(0).getEncoded()).isEqualTo(c.getEncoded());
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("fuzz.pem");
        }
        try {
            PrivateKey k = Pem.privateKey(pem, "fuzz.pem");
            if (k.getEncoded() != null && "PKCS#8".equals(k.getFormat())) {
                PrivateKey again = Pem.privateKey(Pem.encode("PRIVATE KEY", k.getEncoded()), "again");
                assertThat(again.getEncoded()).isEqualTo(k.getEncoded());
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("fuzz.pem");
        }
    }
}
