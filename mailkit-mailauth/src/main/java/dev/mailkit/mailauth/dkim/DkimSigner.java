package dev.mailkit.mailauth.dkim;

import dev.mailkit.core.outbound.MessageSigner;
import dev.mailkit.core.tls.Pem;
import dev.mailkit.core.mime.CrlfOutputStream;
import dev.mailkit.mailauth.dkim.internal.DkimCanonical;
import dev.mailkit.core.mime.HeaderSection;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Signs outgoing mail with DKIM (RFC 6376) for one sending domain: {@code rsa-sha256} with an RSA key (at least 1024
 * bits, 2048 recommended) or {@code ed25519-sha256} (RFC 8463) with an Ed25519 key, canonicalisation
 * {@code relaxed/relaxed}. The relay signs a message with the signer whose domain is the domain of the message's
 * {@code From:} address (or a parent of it), when the message is queued; a message without a matching signer is
 * sent unsigned.
 *
 * <p>Defaults: the signed header fields are {@link #DEFAULT_HEADERS} (each one present in the message is signed, every
 * instance of it); {@code From} must be present. The public key to publish in DNS, at
 * {@code SELECTOR._domainkey.DOMAIN}, is {@link #dnsRecord()}. Immutable and thread-safe.
 */
public final class DkimSigner implements MessageSigner {
    /** The header fields signed by default (RFC 6376 5.4.1), when present. */
    public static final List<String> DEFAULT_HEADERS = List.of("from", "reply-to", "subject", "date", "to", "cc",
            "message-id", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding",
            "list-id", "list-unsubscribe", "sender");

    private static final int MAX_HEADER = 1024 * 1024;

    private final String domain;
    private final String selector;
    private final PrivateKey key;
    private final PublicKey publicKey;
    private final boolean ed25519;
    private final List<String> headers;
    /** A {@code Signature} per thread, initialised with the key (one is not safe for two threads at once). */
    private final ThreadLocal<Signature> signers = ThreadLocal.withInitial(this::newSigner);

    private DkimSigner(Builder b) {
        this.domain = b.domain;
        this.selector = b.selector;
        this.key = b.key;
        this.ed25519 = b.ed25519;
        this.headers = List.copyOf(b.headers);
        this.publicKey = b.publicKey != null ? b.publicKey : derivePublicKey(b.key, b.ed25519);
    }

    /**
     * A builder for the sending domain (the {@code d=} tag), the selector ({@code s=}) and the private key.
     *
     * @throws IllegalArgumentException if the key is neither RSA (1024 bits or more) nor Ed25519, or a name is not
     *                                  a DNS name
     */
    public static Builder builder(String domain, String selector, PrivateKey key) {
        return new Builder(domain, selector, key);
    }

    /**
     * A signer with the default headers and a PEM private key file (PKCS#8 {@code PRIVATE KEY}, or PKCS#1
     * {@code RSA PRIVATE KEY}).
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no RSA or Ed25519 key; the message names
     *                                  the file
     */
    public static DkimSigner fromPem(String domain, String selector, Path keyFile) {
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read DKIM key " + keyFile + ": " + e.getMessage(), e);
        }
        return builder(domain, selector, Pem.privateKey(pem, keyFile.toString())).build();
    }

    /** The signing domain ({@code d=}), lower case. */
    public String domain() {
        return domain;
    }

    /** The selector ({@code s=}). */
    public String selector() {
        return selector;
    }

    /** {@code rsa-sha256} or {@code ed25519-sha256}. */
    public String algorithm() {
        return ed25519 ? "ed25519-sha256" : "rsa-sha256";
    }

    /** The header field names signed when present, lower case. */
    public List<String> signedHeaders() {
        return headers;
    }

    /** The DNS name where the public key is published: {@code SELECTOR._domainkey.DOMAIN}. */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /**
     * The TXT record to publish at {@link #dnsName()}, e.g. {@code v=DKIM1; k=rsa; p=MIIBIjAN...}; empty if the public
     * key is unknown (it is derived from RSA CRT and Ed25519 private keys, or given to the builder).
     */
    public Optional<String> dnsRecord() {
        if (publicKey == null) {
            return Optional.empty();
        }
        byte[] der = publicKey.getEncoded();
        byte[] p = ed25519 ? Arrays.copyOfRange(der, der.length - 32, der.length) : der;
        return Optional.of("v=DKIM1; k=" + (ed25519 ? "ed25519" : "rsa") + "; p="
                + Base64.getEncoder().encodeToString(p));
    }

    /**
     * Computes the {@code DKIM-Signature} header field for a message, to be put in front of it unchanged. The
     * message is read once, as a stream; its line ends are taken as CRLF (a bare CR or LF counts as one, as the relay
     * sends them).
     *
     * @param message the whole message (header and body)
     * @param time    the signature time ({@code t=})
     * @return the header field, folded, ending in CRLF
     * @throws IOException              if the message cannot be read
     * @throws IllegalArgumentException if the message has no {@code From:} field or a header section over 1 MiB
     */
    public String sign(InputStream message, Instant time) throws IOException {
        Normalized in = new Normalized(message);
        HeaderSection header = HeaderSection.read(in, MAX_HEADER);
        if (header.all("from").isEmpty()) {
            throw new IllegalArgumentException("a message without a From: header field cannot be DKIM-signed");
        }
        DkimCanonical.RelaxedBody body;
        try {
            body = new DkimCanonical.RelaxedBody(MessageDigest.getInstance("SHA-256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            body.update(buf, 0, n);
        }
        return signature(header, body.finish(), time);
    }

    private String signature(HeaderSection header, byte[] bodyHash, Instant time) {
        List<String> names = new ArrayList<>();
        List<String> signed = new ArrayList<>();
        chooseFields(header.fields(), names, signed);
        StringBuilder sig = unsignedField(names, bodyHash, time);
        StringBuilder data = new StringBuilder(1024);
        for (String f : signed) {
            data.append(DkimCanonical.header(f));
        }
        String canonicalSig = DkimCanonical.header(sig.toString());
        data.append(canonicalSig, 0, canonicalSig.length() - 2); // the signature field itself, without its CRLF
        String b64 = Base64.getEncoder().encodeToString(sign(data.toString().getBytes(StandardCharsets.ISO_8859_1)));
        for (int i = 0; i < b64.length(); i += 72) {
            if (i > 0) {
                sig.append("\r\n\t ");
            }
            sig.append(b64, i, Math.min(b64.length(), i + 72));
        }
        return sig.append("\r\n").toString();
    }

    /**
     * The instances to sign: for each listed name, instances from the bottom up (RFC 6376 5.4.2), as names (for
     * {@code h=}) and fields.
     */
    private void chooseFields(List<String> fields, List<String> names, List<String> signed) {
        String[] lower = new String[fields.size()];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = HeaderSection.name(fields.get(i)).toLowerCase(Locale.ROOT);
        }
        for (String name : headers) {
            for (int i = lower.length - 1; i >= 0; i--) {
                if (lower[i].equals(name)) {
                    names.add(name);
                    signed.add(fields.get(i));
                }
            }
        }
    }

    /** The DKIM-Signature field up to its empty {@code b=} tag, folded. */
    private StringBuilder unsignedField(List<String> names, byte[] bodyHash, Instant time) {
        StringBuilder sig = new StringBuilder(512);
        sig.append("DKIM-Signature: v=1; a=").append(algorithm()).append("; c=relaxed/relaxed; d=").append(domain)
                .append("; s=").append(selector).append(";\r\n\tt=").append(time.getEpochSecond()).append("; h=");
        int lineLength = 8 + String.valueOf(time.getEpochSecond()).length() + 5;
        for (int i = 0; i < names.size(); i++) {
            String part = names.get(i) + (i < names.size() - 1 ? ":" : ";");
            if (lineLength + part.length() > 76) {
                sig.append("\r\n\t");
                lineLength = 1;
            }
            sig.append(part);
            lineLength += part.length();
        }
        return sig.append("\r\n\tbh=").append(Base64.getEncoder().encodeToString(bodyHash)).append(";\r\n\tb=");
    }

    /**
     * Signs the canonical header data with this thread's {@code Signature}, made and initialised with the key once
     * per thread: a provider look-up and key initialisation per message cost CPU and, inlined into the signing
     * path, made it one of the relay's largest JIT compilations. {@code sign()} leaves the object ready for the next
     * message; after a failure this thread's object is thrown away.
     */
    private byte[] sign(byte[] data) {
        Signature signer = signers.get();
        try {
            signer.update(ed25519 ? sha256(data) : data);
            return signer.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            signers.remove();
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] data) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private Signature newSigner() {
        try {
            Signature signer = Signature.getInstance(ed25519 ? "Ed25519" : "SHA256withRSA");
            signer.initSign(key);
            return signer;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DkimSigner{" + algorithm() + ", d=" + domain + ", s=" + selector + "}";
    }

    private static PublicKey derivePublicKey(PrivateKey key, boolean ed25519) {
        try {
            if (key instanceof RSAPrivateCrtKey) {
                RSAPrivateCrtKey k = (RSAPrivateCrtKey) key;
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(k.getModulus(),
                        k.getPublicExponent()));
            }
            if (ed25519 && key instanceof java.security.interfaces.EdECPrivateKey) {
                // The JDK has no public "private to public" for EdDSA; its key pair generator derives the public
                // key from random bytes taken as the private key, so hand it exactly this key's bytes.
                byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes().orElse(null);
                if (seed == null) {
                    return null;
                }
                KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
                g.initialize(NamedParameterSpec.ED25519, new FixedBytes(seed));
                java.security.KeyPair pair = g.generateKeyPair();
                byte[] check = ((java.security.interfaces.EdECPrivateKey) pair.getPrivate()).getBytes().orElse(null);
                return Arrays.equals(check, seed) ? pair.getPublic() : null;
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** A "random" source that returns the given bytes: used only to derive an Ed25519 public key. */
    private static final class FixedBytes extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, Math.min(out.length, bytes.length));
        }
    }

    /** The message with CRLF line ends, as the relay stores and sends it. */
    private static final class Normalized extends InputStream {
        private final InputStream in;
        private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(32 * 1024);
        private final CrlfOutputStream crlf = new CrlfOutputStream(pending, false);
        private byte[] buf = new byte[0];
        private int pos;
        private boolean eof;

        Normalized(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, buf.length - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (pos >= buf.length) {
                if (eof) {
                    return false;
                }
                byte[] raw = new byte[16384];
                int n = in.read(raw);
                pending.reset();
                if (n < 0) {
                    eof = true;
                    crlf.finishContent();
                } else {
                    crlf.write(raw, 0, n);
                }
                buf = pending.toByteArray();
                pos = 0;
            }
            return true;
        }
    }

    /** Builds a {@link DkimSigner}. Not thread-safe. */
    public static final class Builder {
        private final String domain;
        private final String selector;
        private final PrivateKey key;
        private final boolean ed25519;
        private List<String> headers = DEFAULT_HEADERS;
        private PublicKey publicKey;

        private Builder(String domain, String selector, PrivateKey key) {
            this.domain = dnsLabel(Objects.requireNonNull(domain, "domain"), "domain").toLowerCase(Locale.ROOT);
            this.selector = dnsLabel(Objects.requireNonNull(selector, "selector"), "selector");
            this.key = Objects.requireNonNull(key, "key");
            String alg = key.getAlgorithm();
            if (alg.equals("Ed25519") || alg.equals("EdDSA")) {
                this.ed25519 = true;
            } else if (alg.equals("RSA")) {
                this.ed25519 = false;
                if (key instanceof RSAKey && ((RSAKey) key).getModulus().bitLength() < 1024) {
                    throw new IllegalArgumentException("a DKIM RSA key must have at least 1024 bits (RFC 8301), this "
                            + "one has " + ((RSAKey) key).getModulus().bitLength() + "; use 2048");
                }
            } else {
                throw new IllegalArgumentException("DKIM keys are RSA or Ed25519, not " + alg);
            }
        }

        /**
         * The header fields to sign when present (case-insensitive); {@code From} is always signed.
         *
         * @throws IllegalArgumentException if a name is empty or contains a colon or whitespace
         */
        public Builder headers(String... names) {
            List<String> list = new ArrayList<>();
            list.add("from");
            for (String n : names) {
                String l = Objects.requireNonNull(n, "header name").trim().toLowerCase(Locale.ROOT);
                if (l.isEmpty() || l.chars().anyMatch(c -> c <= 32 || c == ':' || c >= 127)) {
                    throw new IllegalArgumentException("'" + n + "' is not a header field name");
                }
                if (!list.contains(l)) {
                    list.add(l);
                }
            }
            this.headers = list;
            return this;
        }

        /** The public key, to publish with {@link #dnsRecord()} when it cannot be derived from the private key. */
        public Builder publicKey(PublicKey publicKey) {
            this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
            return this;
        }

        /** Builds the signer. */
        public DkimSigner build() {
            return new DkimSigner(this);
        }

        private static String dnsLabel(String s, String what) {
            if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")
                    || !s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.'
                    || c == '_'))) {
                throw new IllegalArgumentException("DKIM " + what + " '" + s + "' is not a DNS name");
            }
            return s;
        }
    }
}
