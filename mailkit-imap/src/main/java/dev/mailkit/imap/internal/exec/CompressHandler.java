package dev.mailkit.imap.internal.exec;

import dev.mailkit.imap.internal.command.CompressCommand;
import dev.mailkit.imap.internal.session.CommandHandler;
import dev.mailkit.imap.internal.session.ImapSession;

import java.io.IOException;

/**
 * COMPRESS DEFLATE (RFC 4978), after login: the tagged OK goes out uncompressed, everything after it both ways is
 * deflated. A second COMPRESS gets {@code NO [COMPRESSIONACTIVE]}, another mechanism {@code NO} naming the one there
 * is.
 */
final class CompressHandler implements CommandHandler<CompressCommand> {
    @Override
    public void handle(CompressCommand c, ImapSession s) throws IOException {
        if (s.compressed()) {
            s.out().tagged(c.tag(), "NO", "COMPRESSIONACTIVE", "DEFLATE is active already");
            return;
        }
        if (!c.mechanism().equals("DEFLATE")) {
            s.out().tagged(c.tag(), "NO", null, "Unknown compression mechanism: DEFLATE is the one supported");
            return;
        }
        s.complete(c, null, "DEFLATE active");
        s.startCompression();
    }
}
