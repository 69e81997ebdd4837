package dev.mailkit.imap.testing;

import dev.mailkit.testsupport.RawClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A byte-exact IMAP client for protocol tests: sends what it is given and collects responses up to a tag. */
public final class RawImap implements AutoCloseable {
    private final RawClient c;
    private int tags;

    public RawImap(int port) throws IOException {
        this.c = new RawClient(port);
    }

    public RawImap(RawClient c) {
        this.c = c;
    }

    /** The greeting line. */
    public String greeting() throws IOException {
        return c.readLine();
    }

    /** Sends raw bytes (ISO-8859-1). */
    public RawImap send(String raw) throws IOException {
        c.send(raw);
        return this;
    }

    /** Reads one line. */
    public String line() throws IOException {
        return c.readLine();
    }

    /** Reads lines until one starts with "tag " and returns them all (the tagged one last). */
    public List<String> until(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String l = c.readLine();
            if (l == null) {
                throw new IOException("connection closed; got so far: " + lines);
            }
            lines.add(l);
            if (l.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Sends "tN command" and returns all response lines up to the tagged one. */
    public List<String> command(String command) throws IOException {
        String tag = "t" + (++tags);
        c.send(tag + " " + command + "\r\n");
        return until(tag);
    }

    /** The tagged line of {@link #command}. */
    public String tagged(String command) throws IOException {
        List<String> l = command(command);
        return l.get(l.size() - 1).substring(l.get(l.size() - 1).indexOf(' ') + 1);
    }

    public RawImap startTls(SSLContext ctx) throws IOException {
        c.startTls(ctx);
        return this;
    }

    public boolean isClosedByServer() {
        return c.isClosedByServer();
    }

    public RawClient raw() {
        return c;
    }

    @Override
    public void close() throws IOException {
        c.close();
    }
}
