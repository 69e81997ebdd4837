package dev.mailkit.examples.cli;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStore;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.maildir.MaildirMailStore;
import dev.mailkit.store.mbox.MboxExporter;
import dev.mailkit.store.mbox.MboxImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code mailkit import mbox|maildir} and {@code mailkit export}: mail into and out of a user's mailbox in the server's
 * Maildir store. The store allows one user at a time: stop the server first (the command says so if it runs).
 */
final class MailboxCommands {
    private MailboxCommands() {
    }

    /** Opens the server's Maildir store, or says that the running server has it. */
    static MailStore store(Locations where) throws Exception {
        Path data = where.data();
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException(data + ": no such data directory");
        }
        try {
            return MaildirMailStore.builder(data).standardMailboxes().build();
        } catch (RuntimeException e) {
            if (Files.exists(data.resolve(dev.mailkit.examples.ControlChannel.SOCKET))) {
                throw new IllegalStateException("the server is running with " + data + ": stop it first ("
                        + Cli.message(e) + ")", e);
            }
            throw e;
        }
    }

    static Mailbox open(MailStore store, String user, String mailbox) {
        MailAccount account = store.account(MailAddress.parse(user));
        MailboxName name = MailboxName.of(mailbox);
        if (!account.exists(name)) {
            account.create(name);
        }
        return account.open(name);
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Imports mail into a user's mailbox.",
            subcommands = {Mbox.class, Maildir.class})
    static final class Import extends CommandGroup {
    }

    /** The mailbox an import or export works on. */
    static final class Target {
        @Mixin
        Locations where;
        @Option(names = "--user", required = true, paramLabel = "ADDRESS", description = "whose mailbox")
        String user;
        @Option(names = "--mailbox", paramLabel = "NAME", defaultValue = "INBOX", description = "the mailbox "
                + "(created if missing; default INBOX)")
        String mailbox;
    }

    /** A command on one user's mailbox. */
    abstract static class MailboxAction extends CommandGroup {
        @Mixin
        Target target;

        /** Opens the store and the mailbox, runs the work on the mailbox and closes both. */
        final void run(MailboxWork work) throws Exception {
            try (MailStore store = store(target.where); Mailbox box = open(store, target.user, target.mailbox)) {
                work.on(box);
            }
        }
    }

    /** What an import or export does with the open mailbox. */
    interface MailboxWork {
        void on(Mailbox box) throws Exception;
    }

    @Command(name = "mbox", mixinStandardHelpOptions = true, description = "Imports an mbox file (mboxrd/mboxo, "
            + "Status: and X-Status: flags kept).")
    static final class Mbox extends MailboxAction {
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            run(box -> {
                try (InputStream in = Files.newInputStream(file)) {
                    long n = MboxImporter.create().importInto(in, box).size();
                    out().println("imported " + n + " messages into " + target.user + " " + target.mailbox);
                }
            });
            return 0;
        }
    }

    @Command(name = "maildir", mixinStandardHelpOptions = true, description = "Imports a Maildir folder (cur/ and new/; "
            + "flags from the file names).")
    static final class Maildir extends MailboxAction {
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws Exception {
            List<Path> files = new ArrayList<>();
            for (String sub : new String[] {"cur", "new"}) {
                Path d = dir.resolve(sub);
                if (Files.isDirectory(d)) {
                    try (Stream<Path> s = Files.list(d)) {
                        s.filter(Files::isRegularFile).sorted().forEach(files::add);
                    }
                }
            }
            if (files.isEmpty() && !Files.isDirectory(dir.resolve("cur"))) {
                throw new IllegalArgumentException(dir + ": not a Maildir (no cur/ or new/)");
            }
            run(box -> {
                for (Path f : files) {
                    try (MessageSource m = MessageSource.ofFile(f)) {
                        box.append(m, flags(f.getFileName().toString()), Files.getLastModifiedTime(f).toInstant());
                    }
                }
            });
            out().println("imported " + files.size() + " messages into " + target.user + " " + target.mailbox);
            return 0;
        }

        static Flags flags(String name) {
            int i = name.indexOf(":2,");
            EnumSet<SystemFlag> f = EnumSet.noneOf(SystemFlag.class);
            if (i >= 0) {
                for (char c : name.substring(i + 3).toCharArray()) {
                    switch (c) {
                        case 'S': f.add(SystemFlag.SEEN); break;
                        case 'R': f.add(SystemFlag.ANSWERED); break;
                        case 'F': f.add(SystemFlag.FLAGGED); break;
                        case 'T': f.add(SystemFlag.DELETED); break;
                        case 'D': f.add(SystemFlag.DRAFT); break;
                        default: break;
                    }
                }
            }
            return Flags.of(f, List.of());
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Exports a user's mailbox as an mbox file.")
    static final class Export extends MailboxAction {
        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "the mbox file to write")
        Path file;

        @Override
        public Integer call() throws Exception {
            run(box -> {
                try (OutputStream o = Files.newOutputStream(file)) {
                    int n = MboxExporter.create().export(box, o);
                    out().println("exported " + n + " messages of " + target.user + " " + target.mailbox + " to "
                            + file);
                }
            });
            return 0;
        }
    }
}
