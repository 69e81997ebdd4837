package dev.mailkit.imap.internal.exec;

import dev.mailkit.core.MessageSource;
import dev.mailkit.core.filter.SpamLearning;
import dev.mailkit.imap.internal.session.ImapSession;
import dev.mailkit.store.CopyResult;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.SpecialUse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Tells the configured {@link SpamLearning} about COPY and MOVE into and out of Junk, as Dovecot's IMAPSieve
 * anti-spam set-up does: into Junk is spam; out of Junk into anything but Trash is ham.
 */
final class JunkLearning {
    private static final Logger LOG = LoggerFactory.getLogger(JunkLearning.class);

    private JunkLearning() {
    }

    static void afterCopy(ImapSession s, Mailbox source, Mailbox target, CopyResult r) {
        SpamLearning learning = s.config().spamLearning();
        if (learning == null || r.count() == 0) {
            return;
        }
        boolean fromJunk = isJunk(source);
        boolean toJunk = isJunk(target);
        boolean spam;
        if (toJunk && !fromJunk) {
            spam = true;
        } else if (fromJunk && !toJunk && !is(target, SpecialUse.TRASH, "Trash")) {
            spam = false;
        } else {
            return;
        }
        String user = s.user().username();
        for (long uid : r.targetUids()) {
            try {
                Optional<MessageSource> content = target.content(uid);
                if (content.isEmpty()) {
                    continue;
                }
                try (MessageSource m = content.get()) {
                    if (spam) {
                        learning.learnSpam(user, m);
                    } else {
                        learning.learnHam(user, m);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("learning {} as {} for {} failed: {}", uid, spam ? "spam" : "ham", user, e.toString());
            }
        }
    }

    private static boolean isJunk(Mailbox m) {
        return is(m, SpecialUse.JUNK, "Junk");
    }

    private static boolean is(Mailbox m, SpecialUse use, String name) {
        return m.specialUse().contains(use) || m.name().toString().equalsIgnoreCase(name);
    }
}
