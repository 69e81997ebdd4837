package dev.mailkit.imap.internal.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Renders what an ImapWriter produces into a string for assertions. */
final class Render {
    interface Body {
        void write(ImapWriter w) throws IOException;
    }

    private Render() {
    }

    static String of(Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImapWriter w = new ImapWriter(out, 64);
        body.write(w);
        w.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}
