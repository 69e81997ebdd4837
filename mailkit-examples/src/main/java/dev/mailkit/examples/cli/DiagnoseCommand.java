package dev.mailkit.examples.cli;

import dev.mailkit.core.dns.DnsResolver;
import dev.mailkit.core.tls.Pem;
import dev.mailkit.dns.DnsJavaResolver;
import dev.mailkit.examples.ServerOptions;
import dev.mailkit.examples.diagnose.Diagnosis;
import dev.mailkit.mailauth.dkim.DkimSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code mailkit diagnose DOMAIN}: what the world sees of a mail domain through DNS, and what to publish to fix it
 * (see {@link Diagnosis}). Exit status 1 when something must be fixed, 0 otherwise.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true, description = {"Checks a mail domain's DNS as the world "
        + "sees it (MX, STARTTLS certificates, open relay, reverse DNS, SPF, DKIM, DMARC, MTA-STS, TLS-RPT, blocklists) "
        + "and prints what to fix, with "
        + "the records to publish.", "Exit status 1 when something must be fixed."})
final class DiagnoseCommand implements Callable<Integer> {
    @Mixin
    Locations where;
    @Parameters(paramLabel = "DOMAIN", description = "the mail domain, e.g. example.org")
    String domain;
    @Option(names = "--json", description = "JSON instead of text for people")
    boolean json;
    @Option(names = "--dns", paramLabel = "HOST:PORT", description = "ask this DNS server instead of the system's")
    String dnsServer;
    @Option(names = "--address", paramLabel = "IP", description = "the server's public address (default: the "
            + "address of the first MX host)")
    String address;
    @Option(names = "--dkim-selector", paramLabel = "S", description = "the DKIM selector (default: the "
            + "configuration's)")
    String selector;
    @Option(names = "--dkim-key", paramLabel = "FILE", description = "the DKIM private key (default: the "
            + "configuration's)")
    Path key;
    @Option(names = "--dnsbl", paramLabel = "ZONE", description = "a DNS blocklist to look the address up in, "
            + "repeatable (default: the configuration's smtp.dnsbl)")
    List<String> blocklists = new ArrayList<>();
    @Option(names = "--trust", paramLabel = "FILE", description = "PEM certificates to trust for the MX hosts' "
            + "STARTTLS (default: the JDK's certificate authorities, as a sender's)")
    Path trustFile;
    @Option(names = "--smtp-port", paramLabel = "N", defaultValue = "25", description = "the port of the MX hosts "
            + "(default 25)")
    int smtpPort;
    @Option(names = "--https-port", paramLabel = "N", defaultValue = "443", description = "the port of the MTA-STS "
            + "policy's web server (default 443)")
    int httpsPort;
    @Option(names = "--dns-only", description = "do not connect to the MX hosts or fetch the MTA-STS policy (no "
            + "certificate check, no open-relay self-test)")
    boolean dnsOnly;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!domain.matches("(?i)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\\.?")) {
            throw new ServerOptions.UsageException("'" + domain.replaceAll("[^\\x20-\\x7e]", "?")
                    + "' is not a domain name");
        }
        ServerOptions o = where.config == null ? null : where.options();
        String sel = selector != null ? selector : o == null ? null : o.get(ServerOptions.DKIM_SELECTOR);
        Path keyFile = key != null ? key : o == null ? null : o.get(ServerOptions.DKIM_KEY);
        String record = null;
        if (sel != null && keyFile != null) {
            record = DkimSigner.fromPem(domain, sel, keyFile).dnsRecord().orElse(null);
        } else {
            sel = null;
        }
        List<String> zones = !blocklists.isEmpty() || o == null ? blocklists : o.get(ServerOptions.DNSBL);
        InetAddress ip = address == null ? null : InetAddress.getByName(checkedIp(address));
        List<Diagnosis.Finding> findings = new Diagnosis(domain, resolver(), ip, sel, record, zones,
                dnsOnly ? null : trust(), smtpPort, httpsPort).run();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(json(findings));
        } else {
            for (Diagnosis.Finding f : findings) {
                out.printf("%-4s %-12s %s%n", f.status(), f.check(), f.message());
                if (!f.fix().isEmpty()) {
                    out.println("                  fix: " + f.fix());
                }
            }
            long fails = findings.stream().filter(f -> f.status() == Diagnosis.Status.FAIL).count();
            out.println(fails == 0 ? domain + ": nothing to fix" : domain + ": " + fails + " thing"
                    + (fails == 1 ? "" : "s") + " to fix");
        }
        out.flush();
        return findings.stream().anyMatch(f -> f.status() == Diagnosis.Status.FAIL) ? 1 : 0;
    }

    private X509TrustManager trust() throws Exception {
        KeyStore store = null;
        if (trustFile != null) {
            store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : Pem.certificates(Files.readString(trustFile), trustFile.toString())) {
                store.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager t : f.getTrustManagers()) {
            if (t instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("no X.509 trust manager in this JDK");
    }

    private static String checkedIp(String s) throws ServerOptions.UsageException {
        if (!s.matches("[0-9.]+|[0-9a-fA-F:.]+")) {
            throw new ServerOptions.UsageException("--address: '" + s.replaceAll("[^\\x20-\\x7e]", "?")
                    + "' is not an IP address");
        }
        return s;
    }

    private DnsResolver resolver() throws ServerOptions.UsageException {
        if (dnsServer == null) {
            return DnsJavaResolver.system(Duration.ofSeconds(5));
        }
        int colon = dnsServer.lastIndexOf(':');
        try {
            String host = colon < 0 ? dnsServer : dnsServer.substring(0, colon).replaceAll("^\\[|]$", "");
            int port = colon < 0 ? 53 : Integer.parseInt(dnsServer.substring(colon + 1));
            return DnsJavaResolver.using(Duration.ofSeconds(5), new InetSocketAddress(InetAddress.getByName(
                    checkedIp(host)), port));
        } catch (NumberFormatException e) {
            throw new ServerOptions.UsageException("--dns: '" + dnsServer + "' is not HOST:PORT");
        } catch (java.net.UnknownHostException e) {
            throw new ServerOptions.UsageException("--dns: '" + dnsServer + "' is not an IP address and port");
        }
    }

    static String json(List<Diagnosis.Finding> findings) {
        StringBuilder sb = new StringBuilder("{\"ok\":").append(findings.stream().noneMatch(f -> f.status()
                == Diagnosis.Status.FAIL)).append(",\"findings\":[");
        for (int i = 0; i < findings.size(); i++) {
            Diagnosis.Finding f = findings.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"check\":").append(quote(f.check())).append(",\"status\":")
                    .append(quote(f.status().name().toLowerCase(Locale.ROOT))).append(",\"message\":")
                    .append(quote(f.message())).append(",\"fix\":").append(quote(f.fix())).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
