package dev.mailkit.examples.cli;

import dev.mailkit.passwd.PasswdFile;
import dev.mailkit.passwd.PasswordScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * {@code mailkit user add|passwd|list|delete}: the users file (Dovecot's passwd-file format). A running server sees
 * the change at its next login, without a reload.
 */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Adds, changes, lists and deletes users in the "
        + "users file.", subcommands = {UserCommand.Add.class, UserCommand.Passwd.class, UserCommand.ListUsers.class,
        UserCommand.Delete.class})
final class UserCommand extends CommandGroup {

    /** Reading the password: standard input with --password-stdin, else the terminal (asked twice). */
    static final class PasswordInput {
        @Option(names = "--password-stdin", description = "read the password from the first line of standard input "
                + "(for scripts) instead of asking on the terminal")
        boolean stdin;

        @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "ARGON2ID", description = "the password "
                + "scheme: ARGON2ID (default), BLF-CRYPT, SHA512-CRYPT, PBKDF2, SSHA512")
        String scheme;

        String hash(String user, CommandSpec spec) throws IOException {
            PasswordScheme s = PasswordScheme.named(scheme);
            char[] pw = read(user, ((Cli) spec.root().userObject()).in);
            try {
                if (pw.length == 0) {
                    throw new IllegalArgumentException("the password is empty");
                }
                return s.hash(pw, new SecureRandom());
            } finally {
                Arrays.fill(pw, '\0');
            }
        }

        private char[] read(String user, java.io.InputStream in) throws IOException {
            if (stdin) {
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new IllegalArgumentException("--password-stdin: standard input is empty");
                }
                return line.toCharArray();
            }
            Console c = System.console();
            if (c == null) {
                throw new IllegalArgumentException("no terminal to ask for the password: give --password-stdin");
            }
            char[] a = c.readPassword("password for %s: ", user);
            char[] b = c.readPassword("again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                throw new IllegalArgumentException("the passwords differ");
            }
            Arrays.fill(b, '\0');
            return a;
        }
    }

    /** A command on the users file. */
    abstract static class UsersFileAction extends CommandGroup {
        @Mixin
        Locations where;
    }

    /** Adds a user or changes a password: the two differ only in whether the user must exist. */
    abstract static class SetPassword extends UsersFileAction {
        @Mixin
        PasswordInput password;
        @Parameters(paramLabel = "ADDRESS", description = "the user's mail address, which is also the login")
        String user;

        @Override
        public Integer call() throws Exception {
            Path file = where.usersFile();
            boolean change = this instanceof Passwd;
            PasswdFile.put(file, user, password.hash(user, spec), change);
            out().println((change ? "changed the password of " + user + " in " : "added " + user + " to ") + file);
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a user (the users file is created "
            + "if missing, readable by its owner only).")
    static final class Add extends SetPassword {
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Sets a user's password.")
    static final class Passwd extends SetPassword {
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the users and their password schemes.")
    static final class ListUsers extends UsersFileAction {
        @Override
        public Integer call() throws Exception {
            Path file = where.usersFile();
            if (!Files.exists(file)) {
                throw new IllegalArgumentException(file + ": no such file (mailkit user add creates it)");
            }
            for (PasswdFile.Entry e : PasswdFile.read(file)) {
                out().println(e.username() + "  " + PasswordScheme.check(e.password()).dovecotName());
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a user from the users file "
            + "(the user's mail stays in the store).")
    static final class Delete extends UsersFileAction {
        @Parameters(paramLabel = "ADDRESS")
        String user;

        @Override
        public Integer call() throws Exception {
            Path file = where.usersFile();
            if (!PasswdFile.remove(file, user)) {
                throw new IllegalArgumentException(user + " is not in " + file);
            }
            out().println("deleted " + user + " from " + file);
            return 0;
        }
    }
}
