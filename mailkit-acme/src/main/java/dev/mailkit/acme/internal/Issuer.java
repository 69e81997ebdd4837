package dev.mailkit.acme.internal;

import dev.mailkit.acme.ChallengeType;
import dev.mailkit.acme.IssuanceException;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One certificate order (RFC 8555 7.4) with acme4j: the account (registered, or found again by its key), a new
 * order for the domains, each pending authorization answered by the chosen challenge (the answer put into
 * {@link Challenges} before the CA is told to validate, taken out after), then finalization with a CSR for a fresh
 * key, and the chain downloaded. Every step that fails becomes an {@link IssuanceException} whose message names the
 * step and the CA's problem. Immutable; one order at a time per {@link Challenges}.
 */
public final class Issuer {
    /** What an order produced: the new private key and the chain, leaf first. */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
    }

    private final URI directory;
    private final DirectoryTrust trust;
    private final List<String> domains;
    private final String contact;
    private final ChallengeType type;
    private final Challenges challenges;
    private final Duration timeout;

    public Issuer(URI directory, DirectoryTrust trust, List<String> domains, String contact, ChallengeType type,
                  Challenges challenges, Duration timeout) {
        this.directory = directory;
        this.trust = trust;
        this.domains = List.copyOf(domains);
        this.contact = contact;
        this.type = type;
        this.challenges = challenges;
        this.timeout = timeout;
    }

    /** Runs one order to the end with this account key. */
    public Issued issue(KeyPair accountKey) throws IssuanceException {
        try {
            Session session = trust == null ? new Session(directory) : new Session(directory, trust);
            Account account = account(session, accountKey);
            Order order = step("new order for " + domains, () -> account.newOrder().domains(domains).create());
            for (Authorization a : order.getAuthorizations()) {
                authorize(a);
            }
            Status ready = step("order", () -> order.waitUntilReady(timeout));
            if (ready != Status.READY && ready != Status.VALID) {
                throw new IssuanceException("the order for " + domains + " is " + name(ready) + problem(order.getError()));
            }
            KeyPair key = KeyFiles.generate();
            step("finalize", () -> {
                order.execute(key);
                return null;
            });
            Status done = step("finalize", () -> order.waitForCompletion(timeout));
            if (done != Status.VALID) {
                throw new IssuanceException("the CA did not issue the certificate for " + domains + ": order "
                        + name(done) + problem(order.getError()));
            }
            List<X509Certificate> chain = step("certificate download",
                    () -> order.getCertificate().getCertificateChain());
            return new Issued(key.getPrivate(), chain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssuanceException("interrupted while waiting for the ACME server at " + directory, e);
        }
    }

    private Account account(Session session, KeyPair key) throws IssuanceException, InterruptedException {
        return step("account at " + directory, () -> {
            AccountBuilder b = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
            if (contact != null) {
                b.addEmail(contact);
            }
            return b.create(session);
        });
    }

    private void authorize(Authorization a) throws IssuanceException, InterruptedException {
        if (a.getStatus() == Status.VALID) {
            return;
        }
        String domain = a.getIdentifier().getDomain();
        Challenge challenge;
        if (type == ChallengeType.HTTP_01) {
            Http01Challenge h = a.findChallenge(Http01Challenge.class).orElseThrow(() -> offersNo(domain));
            challenges.putHttp(h.getToken(), h.getAuthorization());
            challenge = h;
        } else {
            TlsAlpn01Challenge t = a.findChallenge(TlsAlpn01Challenge.class).orElseThrow(() -> offersNo(domain));
            KeyPair pair = KeyFiles.generateRsa();
            X509Certificate cert = t.createCertificate(pair, a.getIdentifier());
            challenges.putAlpn(domain, new Challenges.AlpnAnswer(cert, pair.getPrivate()));
            challenge = t;
        }
        try {
            Status s = step(type.token() + " challenge for " + domain, () -> {
                challenge.trigger();
                return challenge.waitForCompletion(timeout);
            });
            if (s != Status.VALID) {
                throw new IssuanceException(type.token() + " challenge for " + domain + " is " + name(s)
                        + problem(challenge.getError()));
            }
            Log.LOG.info("ACME: {} challenge for {} passed", type.token(), domain);
        } finally {
            if (challenge instanceof Http01Challenge h) {
                challenges.removeHttp(h.getToken());
            } else {
                challenges.removeAlpn(domain);
            }
        }
    }

    private IssuanceException offersNo(String domain) {
        return new IssuanceException("the CA offers no " + type.token() + " challenge for " + domain
                + ": choose the other challenge type");
    }

    private interface Step<T> {
        T run() throws AcmeException, InterruptedException;
    }

    private static <T> T step(String what, Step<T> s) throws IssuanceException, InterruptedException {
        try {
            return s.run();
        } catch (AcmeException e) {
            throw new IssuanceException(what + ": " + oneLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new IssuanceException(what + ": " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static String name(Status s) {
        return s == null ? "unknown" : s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String problem(Optional<Problem> p) {
        return p.map(x -> ": " + oneLine(x.toString())).orElse("");
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").trim();
    }

    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger("dev.mailkit.acme");
    }
}
