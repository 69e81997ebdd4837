package dev.mailkit.bench.suite;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailkit.test.MailKit;

import java.util.Arrays;

/**
 * Start and stop of a test mail server with SMTP, IMAP and POP3 on free ports: mailkit-test's {@link MailKit} and
 * GreenMail 2.1.8 (as greenmail-anchor.sh cycle does it), alternating in one warm JVM, median of each, then the same
 * in blocks (all of one server's cycles of a round, then the other's). With {@code first mailkit|greenmail} it times
 * one start+stop in this fresh JVM instead; with {@code first-roundtrip mailkit|greenmail}, one start, one message
 * sent with Jakarta Mail and read back over IMAP, and stop (what a fresh JVM's first test costs, whatever a server
 * leaves for its first connection).
 * Usage: StartupBench [cycles=50] [rounds=5] | StartupBench first|first-roundtrip mailkit|greenmail
 */
public final class StartupBench {
    private StartupBench() {
    }

    static void mailkit() {
        try (MailKit m = MailKit.builder().smtp().imap().pop3().build().start()) {
            m.smtpPort();
        }
    }

    static void mailkitRoundTrip() throws Exception {
        try (MailKit m = MailKit.builder().smtp().imap().pop3().build().start()) {
            RoundTrip.sendAndReadBack(m.smtpPort(), m.imapPort(), 1);
        }
    }

    static void greenmailRoundTrip() throws Exception {
        GreenMail gm = newGreenMail();
        gm.start();
        try {
            RoundTrip.sendAndReadBack(gm.getSmtp().getPort(), gm.getImap().getPort(), 1);
        } finally {
            gm.stop();
        }
    }

    static void greenmail() {
        GreenMail gm = newGreenMail();
        gm.start();
        gm.stop();
    }

    static GreenMail newGreenMail() {
        ServerSetup[] setups = {
            new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort(),
            new ServerSetup(0, "127.0.0.1", "imap").dynamicPort(),
            new ServerSetup(0, "127.0.0.1", "pop3").dynamicPort()};
        GreenMail gm = new GreenMail(setups);
        gm.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        return gm;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("first")) {
            long t0 = System.nanoTime();
            if (args[1].equals("mailkit")) {
                mailkit();
            } else {
                greenmail();
            }
            System.out.printf("%s first start+stop in a fresh JVM: %.1f ms%n", args[1], (System.nanoTime() - t0) / 1e6);
            return;
        }
        if (args.length == 2 && args[0].equals("first-roundtrip")) {
            long t0 = System.nanoTime();
            if (args[1].equals("mailkit")) {
                mailkitRoundTrip();
            } else {
                greenmailRoundTrip();
            }
            System.out.printf("%s first start + one message sent and read back over IMAP + stop in a fresh JVM: %.1f ms%n",
                    args[1], (System.nanoTime() - t0) / 1e6);
            return;
        }
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        for (int i = 0; i < cycles; i++) { // warm-up
            mailkit();
            greenmail();
        }
        double[] mk = new double[cycles * rounds];
        double[] gm = new double[cycles * rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cycles; i++) {
                long t = System.nanoTime();
                mailkit();
                mk[r * cycles + i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                greenmail();
                gm[r * cycles + i] = (System.nanoTime() - t) / 1e6;
            }
        }
        print("alternating", cycles * rounds, mk, gm);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cycles; i++) {
                long t = System.nanoTime();
                mailkit();
                mk[r * cycles + i] = (System.nanoTime() - t) / 1e6;
            }
            for (int i = 0; i < cycles; i++) {
                long t = System.nanoTime();
                greenmail();
                gm[r * cycles + i] = (System.nanoTime() - t) / 1e6;
            }
        }
        print("in blocks of " + cycles, cycles * rounds, mk, gm);
    }

    private static void print(String how, int n, double[] mk, double[] gm) {
        Arrays.sort(mk);
        Arrays.sort(gm);
        System.out.printf("start+stop SMTP+IMAP+POP3, warm JVM, %d cycles each, %s:%n", n, how);
        System.out.printf("  GreenMail 2.1.8  median %.2f ms, p90 %.2f ms%n", gm[gm.length / 2], gm[gm.length * 9 / 10]);
        System.out.printf("  mailkit-test     median %.2f ms, p90 %.2f ms (%.2fx GreenMail's median)%n", mk[mk.length / 2],
                mk[mk.length * 9 / 10], mk[mk.length / 2] / gm[gm.length / 2]);
    }
}
