package dev.mailkit.examples.cli;

import dev.mailkit.core.tls.Pem;
import dev.mailkit.mailauth.dkim.DkimSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

/** {@code mailkit dkim keygen}: a DKIM key and the DNS record to publish for it. */
@Command(name = "dkim", mixinStandardHelpOptions = true, description = "DKIM keys.",
        subcommands = DkimCommand.Keygen.class)
final class DkimCommand extends CommandGroup {

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Writes a new DKIM private key (PEM, "
            + "readable by its owner only) and prints the TXT record to publish.")
    static final class Keygen extends CommandGroup {
        @Option(names = "--domain", required = true, paramLabel = "D", description = "the signing domain (d=)")
        String domain;
        @Option(names = "--selector", required = true, paramLabel = "S", description = "the selector (s=)")
        String selector;
        @Option(names = "--algorithm", defaultValue = "rsa", paramLabel = "ALG", description = "rsa (2048 bits, "
                + "what every verifier knows; the default) or ed25519 (RFC 8463)")
        String algorithm;
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "the key file to "
                + "write (must not exist)")
        Path file;

        @Override
        public Integer call() throws Exception {
            if (Files.exists(file)) {
                throw new IllegalArgumentException(file + " exists: not overwritten");
            }
            KeyPair kp;
            switch (algorithm) {
                case "rsa": {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    kp = g.generateKeyPair();
                    break;
                }
                case "ed25519":
                    kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    break;
                default:
                    throw new IllegalArgumentException("--algorithm must be rsa or ed25519, was '"
                            + Cli.oneLine(algorithm) + "'");
            }
            DkimSigner signer = DkimSigner.builder(domain, selector, kp.getPrivate()).publicKey(kp.getPublic()).build();
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            out().println("wrote " + file + "; publish this TXT record:");
            out().println(signer.dnsName() + ". IN TXT \"" + signer.dnsRecord().orElseThrow()
                    + "\"");
            return 0;
        }
    }
}
