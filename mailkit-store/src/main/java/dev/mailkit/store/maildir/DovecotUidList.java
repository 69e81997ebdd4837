package dev.mailkit.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads Dovecot's {@code dovecot-uidlist} (versions 1 and 3), so that a Maildir that Dovecot served keeps its
 * UIDVALIDITY and UIDs when mailkit first indexes it. mailkit never writes this file. Immutable.
 *
 * <pre>
 * 3 V1795813397 N3 G0a1b...          (version 3 header: UIDVALIDITY, next UID, GUID)
 * 1 :1795813395.M359525P15043.host,S=19,W=22
 * 2 W1030 S1000 :1795813399.M1P2.host
 * </pre>
 */
final class DovecotUidList {
    static final String FILE = "dovecot-uidlist";

    final long uidValidity;
    final long nextUid;
    final Map<String, Long> uids;

    private DovecotUidList(long uidValidity, long nextUid, Map<String, Long> uids) {
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.uids = uids;
    }

    /** The list in a Maildir directory, or null if there is none or it cannot be understood. */
    static DovecotUidList read(Path maildir) {
        byte[] data;
        try {
            data = Fs.readSmall(maildir.resolve(FILE), 256 << 20);
        } catch (IOException e) {
            return null;
        }
        if (data == null) {
            return null;
        }
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0) {
            return null;
        }
        try {
            String[] h = lines[0].trim().split(" ");
            long validity = 0;
            long next = 0;
            if (h[0].equals("3")) {
                for (int i = 1; i < h.length; i++) {
                    if (h[i].startsWith("V")) {
                        validity = Long.parseLong(h[i].substring(1));
                    } else if (h[i].startsWith("N")) {
                        next = Long.parseLong(h[i].substring(1));
                    }
                }
            } else if (h[0].equals("1") && h.length >= 3) {
                validity = Long.parseLong(h[1]);
                next = Long.parseLong(h[2]);
            } else {
                return null;
            }
            if (validity < 1 || validity > 0xFFFF_FFFFL || next < 1) {
                return null;
            }
            Map<String, Long> uids = new HashMap<>();
            long last = 0;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    return null;
                }
                long uid = Long.parseLong(line.substring(0, sp));
                int colon = line.indexOf(':', sp);
                String base = h[0].equals("3") ? (colon < 0 ? null : line.substring(colon + 1))
                        : line.substring(sp + 1).trim();
                if (base == null || uid <= last || uid >= next || !MaildirFileName.isSafe(base)) {
                    return null;
                }
                uids.put(base, uid);
                last = uid;
            }
            return new DovecotUidList(validity, next, uids);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
