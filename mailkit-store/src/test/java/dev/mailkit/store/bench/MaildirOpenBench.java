package dev.mailkit.store.bench;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.maildir.MaildirMailStore;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Random;

/**
 * How fast a big Maildir mailbox opens after a restart, run by {@code bench/maildir-open.sh}:
 * <ul>
 *   <li>{@code fill DIR N SIZE}: appends N messages of about SIZE octets to rcpt@local.test's INBOX (fsync off, to
 *       fill quickly; the layout is the same) and closes the store;</li>
 *   <li>{@code open DIR}: in a fresh JVM, opens the store, the account and INBOX and a read-write view (everything
 *       IMAP SELECT needs: EXISTS, RECENT, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, first unseen), and prints the time
 *       and the heap in use after a full GC with the mailbox open.</li>
 * </ul>
 * Not a test.
 */
public final class MaildirOpenBench {
    private MaildirOpenBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        MailAddress rcpt = MailAddress.parse("rcpt@local.test");
        if (args[0].equals("fill")) {
            int n = Integer.parseInt(args[2]);
            int size = Integer.parseInt(args[3]);
            Random r = new Random(1);
            long t0 = System.nanoTime();
            try (MaildirMailStore store = MaildirMailStore.builder(dir).fsync(false).build();
                 Mailbox inbox = store.account(rcpt).open(MailboxName.INBOX)) {
                for (int i = 0; i < n; i++) {
                    byte[] m = StoreBench.message(i, size, r);
                    inbox.append(MessageSource.of(m));
                }
            }
            System.out.printf("filled %d messages of ~%d octets in %.1f s%n", n, size, (System.nanoTime() - t0) / 1e9);
            return;
        }
        long t0 = System.nanoTime();
        MaildirMailStore store = MaildirMailStore.builder(dir).build();
        MailAccount account = store.account(rcpt);
        Mailbox inbox = account.open(MailboxName.INBOX);
        MailboxView view = inbox.openView(ViewMode.READ_WRITE);
        MailboxStatus s = inbox.status();
        int exists = view.messageCount();
        int unseen = view.firstUnseen();
        long t1 = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf("open: %d messages (EXISTS %d, UIDNEXT %d, HIGHESTMODSEQ %d, UNSEEN %d) in %.0f ms; "
                        + "heap used after GC %.1f MiB (max %.0f MiB)%n", s.messages(), exists, view.uidNext(),
                view.highestModSeq(), unseen, (t1 - t0) / 1e6, heap.getUsed() / 1048576.0, heap.getMax() / 1048576.0);
        view.close();
        inbox.close();
        store.close();
    }
}
