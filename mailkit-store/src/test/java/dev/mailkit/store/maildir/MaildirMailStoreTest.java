package dev.mailkit.store.maildir;

import dev.mailkit.core.MailAddress;
import dev.mailkit.core.MessageSource;
import dev.mailkit.store.AccountId;
import dev.mailkit.store.FlagOperation;
import dev.mailkit.store.Flags;
import dev.mailkit.store.MailAccount;
import dev.mailkit.store.MailStoreException;
import dev.mailkit.store.Mailbox;
import dev.mailkit.store.MailboxInfo;
import dev.mailkit.store.MailboxName;
import dev.mailkit.store.MailboxStatus;
import dev.mailkit.store.MailboxView;
import dev.mailkit.store.MessageInfo;
import dev.mailkit.store.SpecialUse;
import dev.mailkit.store.SystemFlag;
import dev.mailkit.store.UidSet;
import dev.mailkit.store.ViewMode;
import dev.mailkit.store.mime.MessageStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Maildir store adds to the contract: the layout on disk, restarts, other programs' files, safety. */
class MaildirMailStoreTest {
    static final MailAddress ANN = MailAddress.parse("ann@example.com");
    static final Instant DATE = Instant.parse("2025-06-07T08:09:10Z");

    @TempDir
    Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private MaildirMailStore open() {
        return MaildirMailStore.builder(data()).build();
    }

    private Path inboxDir() {
        return data().resolve("example.com").resolve("ann");
    }

    static MessageSource msg(String subject) {
        return MessageSource.ofText("From: a@example.com\nSubject: " + subject + "\n\nbody of " + subject + "\n");
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String subjectOf(Mailbox box, long uid) {
        return box.structure(uid).orElseThrow().envelope().subject();
    }

    @Test
    void theLayoutIsDovecotsMaildirPlusPlus() throws IOException {
        try (MaildirMailStore store = open()) {
            MailAccount ann = store.account(ANN);
            ann.create(MailboxName.of("Sent"));
            ann.create(MailboxName.of("Archive.2026"));
            ann.create(MailboxName.of("Entwürfe"));
            ann.subscribe(MailboxName.of("Archive.2026"));
            ann.subscribe(MailboxName.of("Entwürfe"));
            try (Mailbox inbox = ann.open(MailboxName.INBOX)) {
                inbox.append(msg("plain"));
                inbox.append(msg("flagged"), Flags.parse(List.of("\\Seen", "\\Flagged", "$Forwarded")), DATE);
            }
            assertThat(store.accountDirectory(AccountId.of(ANN))).isEqualTo(inboxDir());
        }
        Path inbox = inboxDir();
        assertThat(files(inbox)).contains(".Sent", ".Archive.2026", ".Entw&APw-rfe", "cur", "new", "tmp",
                "subscriptions", "dovecot-keywords", "mailkit-index");
        assertThat(files(inbox.resolve(".Archive.2026"))).contains("cur", "new", "tmp", "maildirfolder");
        assertThat(files(inbox.resolve("tmp"))).isEmpty();
        List<String> fresh = files(inbox.resolve("new"));
        List<String> cur = files(inbox.resolve("cur"));
        assertThat(fresh).hasSize(1);
        assertThat(cur).hasSize(1);
        long size = msg("plain").size();
        assertThat(fresh.get(0)).matches("\\d+\\.M\\d+P\\d+Q\\d+R[0-9a-f]{16}\\.[^,:/]+,S=" + size + ",W=" + size);
        assertThat(cur.get(0)).endsWith(":2,FSa");
        assertThat(Files.readString(inbox.resolve("dovecot-keywords"))).isEqualTo("0 $Forwarded\n");
        assertThat(Files.readString(inbox.resolve("subscriptions"))).isEqualTo("V\t2\n\nArchive\t2026\nEntw&APw-rfe\n");
        byte[] content = Files.readAllBytes(inbox.resolve("new").resolve(fresh.get(0)));
        assertThat(new String(content, StandardCharsets.US_ASCII)).isEqualTo(msg("plain").asString()).contains("\r\n");
        assertThat(Files.getLastModifiedTime(inbox.resolve("cur").resolve(cur.get(0)))).isEqualTo(FileTime.from(DATE));
        assertThat(Files.getPosixFilePermissions(inbox.resolve("cur").resolve(cur.get(0))))
                .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    @Test
    void uidsFlagsKeywordsDatesAndModSeqsSurviveARestart() {
        List<String> manyKeywords = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            manyKeywords.add("kw" + i); // more than the 26 letters a Maildir file name can carry
        }
        long validity;
        MailboxStatus before;
        List<MessageInfo> infos = new ArrayList<>();
        try (MaildirMailStore store = open()) {
            MailAccount ann = store.account(ANN);
            ann.create(MailboxName.of("Work"), Set.of(SpecialUse.ARCHIVE));
            try (Mailbox inbox = ann.open(MailboxName.INBOX); MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                for (int i = 1; i <= 5; i++) {
                    inbox.append(msg("m" + i), Flags.NONE, DATE.plusSeconds(i));
                }
                v.sync();
                v.store(UidSet.of(2), FlagOperation.ADD, Flags.of(List.of(SystemFlag.SEEN), manyKeywords));
                v.store(UidSet.of(3), FlagOperation.ADD, Flags.of(SystemFlag.DELETED));
                v.expunge();
                assertThat(subjectOf(inbox, 4)).isEqualTo("m4"); // parsed and cached
                validity = inbox.uidValidity();
                before = inbox.status();
                for (long uid : new long[] {1, 2, 4, 5}) {
                    infos.add(inbox.message(uid).orElseThrow());
                }
            }
        }
        try (MaildirMailStore store = open()) {
            MailAccount ann = store.account(ANN);
            assertThat(ann.list()).extracting(MailboxInfo::specialUse).contains(Set.of(SpecialUse.ARCHIVE));
            try (Mailbox inbox = ann.open(MailboxName.INBOX)) {
                assertThat(inbox.uidValidity()).isEqualTo(validity);
                MailboxStatus after = inbox.status();
                assertThat(after.messages()).isEqualTo(4);
                assertThat(after.uidNext()).isEqualTo(before.uidNext());
                assertThat(after.highestModSeq()).isEqualTo(before.highestModSeq());
                for (MessageInfo i : infos) {
                    assertThat(inbox.message(i.uid())).contains(i);
                }
                assertThat(inbox.message(2).orElseThrow().flags().keywords()).hasSize(30);
                assertThat(inbox.keywords()).hasSize(30);
                assertThat(subjectOf(inbox, 4)).isEqualTo("m4");
                assertThat(inbox.append(msg("m6"))).isEqualTo(6);
            }
        }
    }

    @Test
    void afterACrashUidsAndModSeqsNeverGoBack() throws IOException {
        Path copy = tmp.resolve("crashed");
        long uidNext;
        long modSeq;
        long validity;
        try (MaildirMailStore store = open()) {
            try (Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
                inbox.append(msg("a"));
                inbox.append(msg("b"));
                uidNext = inbox.status().uidNext();
                modSeq = inbox.status().highestModSeq();
                validity = inbox.uidValidity();
            }
            copyTree(data(), copy); // what a kill -9 leaves: no clean-stop record
        }
        try (MaildirMailStore store = MaildirMailStore.builder(copy).build();
             Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.uidValidity()).isEqualTo(validity);
            assertThat(inbox.status().messages()).isEqualTo(2);
            assertThat(subjectOf(inbox, 1)).isEqualTo("a");
            long next = inbox.append(msg("c"));
            assertThat(next).isGreaterThanOrEqualTo(uidNext);
            assertThat(inbox.status().highestModSeq()).isGreaterThan(modSeq);
        }
    }

    @Test
    void aLostOrDamagedIndexIsRebuiltWithANewUidValidity() throws IOException {
        long validity;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("one"));
            inbox.append(msg("two"), Flags.of(SystemFlag.ANSWERED), null);
            validity = inbox.uidValidity();
        }
        Files.delete(inboxDir().resolve("mailkit-index"));
        long rebuilt;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            rebuilt = inbox.uidValidity();
            assertThat(rebuilt).isNotEqualTo(validity);
            assertThat(inbox.status().messages()).isEqualTo(2);
            List<String> subjects = List.of(subjectOf(inbox, 1), subjectOf(inbox, 2));
            assertThat(subjects).containsExactlyInAnyOrder("one", "two");
            long answered = subjects.get(0).equals("two") ? 1 : 2;
            assertThat(inbox.message(answered).orElseThrow().flags()).isEqualTo(Flags.of(SystemFlag.ANSWERED));
        }
        Files.writeString(inboxDir().resolve("mailkit-index"), "mailkit-maildir-index 1 77\nA broken line\nR 1 1\n");
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.uidValidity()).isNotIn(validity, rebuilt, 77L);
            assertThat(inbox.status().messages()).isEqualTo(2);
        }
    }

    @Test
    void aTornLastIndexLineIsIgnored() throws IOException {
        long validity;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("one"));
            validity = inbox.uidValidity();
        }
        Files.writeString(inboxDir().resolve("mailkit-index"), "F 1 999 1", java.nio.file.StandardOpenOption.APPEND);
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.uidValidity()).isEqualTo(validity);
            assertThat(inbox.message(1).orElseThrow().flags()).isEqualTo(Flags.NONE);
        }
    }

    @Test
    void filesDroppedIntoNewByAnotherProgramArePickedUp() throws IOException {
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX);
             MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
            inbox.append(msg("ours"));
            v.sync();
            // as Postfix delivers: LF line ends, no ,S= or ,W=, written to tmp/ and renamed into new/
            String lf = "Return-Path: <x@remote.test>\nSubject: dropped\n\nline 1\nline 2\n";
            Path t = inboxDir().resolve("tmp").resolve("1700000000.V801I42M1.postfix");
            Files.writeString(t, lf);
            Files.move(t, inboxDir().resolve("new").resolve("1700000000.V801I42M1.postfix"),
                    StandardCopyOption.ATOMIC_MOVE);
            MailboxStatus s = inbox.status(); // STATUS looks at new/
            assertThat(s.messages()).isEqualTo(2);
            assertThat(v.sync().newMessages()).isEqualTo(1);
            long uid = v.uid(2);
            String crlf = lf.replace("\n", "\r\n");
            assertThat(inbox.message(uid).orElseThrow().size()).isEqualTo(crlf.length());
            try (MessageSource c = inbox.content(uid).orElseThrow()) {
                assertThat(c.asString()).isEqualTo(crlf);
            }
            assertThat(subjectOf(inbox, uid)).isEqualTo("dropped");
            assertThat(inbox.status().messages()).isEqualTo(2); // not adopted twice
            // flags on it rename the file into cur/, as Dovecot would
            v.store(UidSet.of(uid), FlagOperation.ADD, Flags.of(SystemFlag.SEEN));
            assertThat(files(inboxDir().resolve("cur"))).containsExactly("1700000000.V801I42M1.postfix:2,S");
            try (MessageSource c = inbox.content(uid).orElseThrow()) {
                assertThat(c.asString()).isEqualTo(crlf);
            }
        }
    }

    @Test
    void anotherProgramsChangesAreTakenOverAtTheNextStart() throws IOException {
        long keep;
        long gone;
        long flagged;
        long modSeq;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            keep = inbox.append(msg("keep"));
            gone = inbox.append(msg("gone"));
            flagged = inbox.append(msg("flagged"), Flags.of(SystemFlag.SEEN), null);
            modSeq = inbox.status().highestModSeq();
        }
        Path cur = inboxDir().resolve("cur");
        Path fresh = inboxDir().resolve("new");
        // mutt deletes one, Dovecot flags another, a Dovecot LDA delivers one with a keyword into cur/
        for (String n : files(fresh)) {
            String body = Files.readString(fresh.resolve(n));
            if (body.contains("Subject: gone")) {
                Files.delete(fresh.resolve(n));
            }
        }
        for (String n : files(cur)) {
            Files.move(cur.resolve(n), cur.resolve(n.replace(":2,S", ":2,FRS")));
        }
        Files.writeString(inboxDir().resolve("dovecot-keywords"), "0 $Junk\n1 NonJunk\n");
        Files.writeString(cur.resolve("1800000000.M1P1.dovecot,S=26,W=29:2,Sb"), "Subject: from dovecot\n\nhi\n");
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(3);
            assertThat(inbox.message(gone)).isEmpty();
            assertThat(inbox.message(keep).orElseThrow().modSeq()).isLessThanOrEqualTo(modSeq);
            MessageInfo f = inbox.message(flagged).orElseThrow();
            assertThat(f.flags()).isEqualTo(Flags.of(SystemFlag.SEEN, SystemFlag.FLAGGED, SystemFlag.ANSWERED));
            assertThat(f.modSeq()).isGreaterThan(modSeq);
            MessageInfo d = inbox.message(flagged + 1).orElseThrow();
            assertThat(d.flags()).isEqualTo(Flags.of(List.of(SystemFlag.SEEN), List.of("NonJunk")));
            assertThat(d.size()).isEqualTo(29);
            assertThat(subjectOf(inbox, d.uid())).isEqualTo("from dovecot");
            assertThat(inbox.keywords()).contains("$Junk", "NonJunk");
        }
    }

    @Test
    void aMessageFileDeletedByAnotherProgramReadsAsExpunged() throws IOException {
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX);
             MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
            long uid = inbox.append(msg("doomed"));
            v.sync();
            for (String n : files(inboxDir().resolve("new"))) {
                Files.delete(inboxDir().resolve("new").resolve(n));
            }
            assertThat(inbox.content(uid)).isEmpty();
            assertThat(inbox.message(uid)).isEmpty();
            assertThat(v.sync().expunged().sequenceNumbers()).containsExactly(1);
        }
    }

    @Test
    void aFileRenamedByAnotherProgramIsFoundAgain() throws IOException {
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            long uid = inbox.append(msg("moved"));
            String n = files(inboxDir().resolve("new")).get(0);
            Files.move(inboxDir().resolve("new").resolve(n), inboxDir().resolve("cur").resolve(n + ":2,"));
            try (MessageSource c = inbox.content(uid).orElseThrow()) {
                assertThat(c.asString()).contains("Subject: moved");
            }
        }
    }

    @Test
    void aDovecotUidListIsAdoptedTheFirstTime() throws IOException {
        Path fresh = inboxDir().resolve("new");
        Files.createDirectories(fresh);
        Files.createDirectories(inboxDir().resolve("cur"));
        Files.writeString(fresh.resolve("1700000001.M1P1.h,S=14"), "Subject: a\n\nx\n");
        Files.writeString(fresh.resolve("1700000002.M1P1.h,S=14"), "Subject: b\n\nx\n");
        Files.writeString(fresh.resolve("1700000003.M1P1.h,S=14"), "Subject: c\n\nx\n");
        Files.writeString(inboxDir().resolve("dovecot-uidlist"), "3 V1234567 N11 Gabcdef\n"
                + "7 :1700000001.M1P1.h,S=14\n9 W17 S14 :1700000002.M1P1.h,S=14\n");
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.uidValidity()).isEqualTo(1234567);
            assertThat(subjectOf(inbox, 7)).isEqualTo("a");
            assertThat(subjectOf(inbox, 9)).isEqualTo("b");
            assertThat(subjectOf(inbox, 11)).isEqualTo("c");
            assertThat(inbox.status().uidNext()).isEqualTo(12);
        }
    }

    @Test
    void plantedSymbolicLinksAreNeverFollowed() throws IOException {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "Subject: secret\n\nroot password\n");
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("ours"));
            Files.createSymbolicLink(inboxDir().resolve("new").resolve("1700000000.M1P1.evil"), secret);
            Files.createSymbolicLink(inboxDir().resolve(".Evil"), tmp);
            assertThat(inbox.status().messages()).isEqualTo(1);
            assertThat(store.account(ANN).list()).extracting(i -> i.name().toString()).containsExactly("INBOX");
            assertThat(store.account(ANN).exists(MailboxName.of("Evil"))).isFalse();
        }
        // a link in place of a known message file: reading it fails instead of following it
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(1);
            Path mine = inboxDir().resolve("new").resolve(files(inboxDir().resolve("new")).stream()
                    .filter(n -> !n.contains("evil")).findFirst().orElseThrow());
            Files.delete(mine);
            Files.createSymbolicLink(mine, secret);
            assertThatThrownBy(() -> inbox.content(1)).isInstanceOf(MailStoreException.class)
                    .hasMessageContaining("cannot read");
        }
        // an account directory that is a link is refused
        Files.createDirectories(data().resolve("example.com"));
        Files.createSymbolicLink(data().resolve("example.com").resolve("bob"), tmp);
        try (MaildirMailStore store = open()) {
            assertThatThrownBy(() -> store.account(MailAddress.parse("bob@example.com")))
                    .isInstanceOf(MailStoreException.class).hasMessageContaining("symbolic link");
        }
        assertThat(Files.readString(secret)).contains("root password");
    }

    @Test
    void hostileNamesNeverLeaveTheDataDirectory() throws IOException {
        try (MaildirMailStore store = open()) {
            for (String bad : List.of("../../etc", "a/b", "..", ".", "a\\b")) {
                assertThatThrownBy(() -> store.account(MailAddress.of(bad, "example.com")))
                        .isInstanceOf(MailStoreException.class);
            }
            MailAccount ann = store.account(ANN);
            for (String bad : List.of("../x", "a/../b", ".hidden", "a..b", "x\u0000y", "\u2024\u2024")) {
                assertThatThrownBy(() -> ann.create(MailboxName.of(bad))).isInstanceOf(MailStoreException.class);
            }
            ann.create(MailboxName.of("a&b.c d"));
        }
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(p -> !p.startsWith(data()))).allMatch(p -> p.equals(tmp));
        }
        assertThat(files(inboxDir())).contains(".a&-b.c d");
    }

    @Test
    void copiesAreHardLinksAndFolderOperationsMoveDirectories() throws IOException {
        try (MaildirMailStore store = open()) {
            MailAccount ann = store.account(ANN);
            ann.create(MailboxName.of("Box"));
            ann.create(MailboxName.of("Box.Sub"));
            try (Mailbox inbox = ann.open(MailboxName.INBOX); Mailbox box = ann.open(MailboxName.of("Box"));
                 MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                inbox.append(msg("copied"));
                v.sync();
                v.copy(UidSet.of(1), box);
                Path a = inboxDir().resolve("new").resolve(files(inboxDir().resolve("new")).get(0));
                Path b = inboxDir().resolve(".Box/new").resolve(files(inboxDir().resolve(".Box/new")).get(0));
                assertThat(Files.getAttribute(a, "unix:ino")).isEqualTo(Files.getAttribute(b, "unix:ino"));
                ann.rename(MailboxName.of("Box"), MailboxName.of("Renamed"));
                assertThat(files(inboxDir())).contains(".Renamed", ".Renamed.Sub").doesNotContain(".Box", ".Box.Sub");
                assertThat(box.name()).isEqualTo(MailboxName.of("Renamed"));
                assertThat(subjectOf(box, 1)).isEqualTo("copied");
                assertThat(inboxDir().resolve(".Renamed/mailkit-cache")).exists(); // the cache followed the rename
                assertThat(box.append(msg("after rename"))).isEqualTo(2);
                ann.delete(MailboxName.of("Renamed"));
                assertThat(files(inboxDir())).contains(".Renamed.Sub").doesNotContain(".Renamed");
                assertThat(files(inboxDir().resolve("tmp"))).isEmpty();
                assertThatThrownBy(() -> box.append(msg("too late"))).isInstanceOf(MailStoreException.class);
            }
        }
    }

    @Test
    void oneDirectoryOneStore() {
        try (MaildirMailStore store = open()) {
            assertThat(store.root()).isEqualTo(data().toAbsolutePath());
            assertThatThrownBy(this::open).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another mailkit store");
        }
        open().close(); // released
    }

    @Test
    void foldersMadeByAnotherProgramAreListed() throws IOException {
        try (MaildirMailStore store = open()) {
            MailAccount ann = store.account(ANN);
            for (String d : List.of(".Sent", ".Old.2020", ".bad..name", ".&Jjo-")) {
                Files.createDirectories(inboxDir().resolve(d).resolve("cur"));
            }
            Files.createDirectories(inboxDir().resolve(".not-utf7-&"));
            assertThat(ann.list()).extracting(i -> i.name().toString())
                    .containsExactly("INBOX", "Old", "Old.2020", "Sent", "\u263A");
            assertThat(ann.list().get(3).specialUse()).containsExactly(SpecialUse.SENT);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(t);
                } else if (!p.getFileName().toString().equals(MaildirMailStore.LOCK_FILE)) {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void structuresComeFromTheCacheFileAfterARestart() throws IOException {
        MessageStructure s;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("cached"));
            s = inbox.structure(1).orElseThrow();
        }
        assertThat(Files.size(inboxDir().resolve("mailkit-cache"))).isPositive();
        // the message file is replaced by one with another subject of the same size: the cache answers
        Path f = inboxDir().resolve("new").resolve(files(inboxDir().resolve("new")).get(0));
        Files.writeString(f, Files.readString(f).replace("Subject: cached", "Subject: CACHED"));
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.structure(1).orElseThrow()).isEqualTo(s);
        }
        // a damaged cache is a miss, not an error
        Files.write(inboxDir().resolve("mailkit-cache"), new byte[] {0, 0, 0, 5, 0, 3, 1, 2, 3, 4, 'x'});
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.structure(1).orElseThrow().envelope().subject()).isEqualTo("CACHED");
        }
    }

    @Test
    void messagesNoSessionWasToldOfStayRecentAcrossACleanRestart() throws IOException {
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("one"));
            inbox.append(msg("two"));
            try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                assertThat(v.recentCount()).isEqualTo(2); // this session is told of 1 and 2
            }
            inbox.append(msg("three")); // no session hears of it
        }
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().recent()).isEqualTo(1);
            try (MailboxView v = inbox.openView(ViewMode.READ_WRITE)) {
                assertThat(v.recentCount()).isEqualTo(1);
                assertThat(v.isRecent(3)).isTrue();
                assertThat(v.isRecent(2)).isFalse();
            }
        }
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().recent()).isZero(); // the session before was told of 3
        }
    }

    @Test
    void aBigCacheIsReadThroughItsMappingAndEnvelopesAloneMatchTheStructures() throws IOException {
        int n = 600; // about 180 bytes of cache each: past the size from which the file is mapped
        List<MessageStructure> parsed = new ArrayList<>();
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            for (int i = 1; i <= n; i++) {
                inbox.append(msg("message " + i + " " + "x".repeat(i % 100)));
            }
            for (int i = 1; i <= n; i++) {
                parsed.add(inbox.structure(i).orElseThrow()); // parsed now, cached
            }
            for (int i = 1; i <= n; i++) {
                assertThat(inbox.structure(i).orElseThrow()).isEqualTo(parsed.get(i - 1));
                assertThat(inbox.envelope(i).orElseThrow()).isEqualTo(parsed.get(i - 1).envelope());
            }
        }
        assertThat(Files.size(inboxDir().resolve("mailkit-cache"))).isGreaterThan(64 * 1024); // mapped from 64 KiB
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            for (int i = n; i >= 1; i--) {
                assertThat(inbox.envelope(i).orElseThrow().subject()).isEqualTo(parsed.get(i - 1).envelope().subject())
                        .startsWith("message " + i);
                assertThat(inbox.structure(i).orElseThrow()).isEqualTo(parsed.get(i - 1));
            }
            assertThat(inbox.envelope(n + 1)).isEmpty();
        }
    }

    @Test
    void structuresCachedByAnOlderFormatAreParsedAgain() throws IOException {
        MessageStructure s;
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("old format"));
            s = inbox.structure(1).orElseThrow();
        }
        // the record's data starts with the format version: make it an older one (CRC fixed up)
        Path cache = inboxDir().resolve("mailkit-cache");
        java.nio.ByteBuffer rec = java.nio.ByteBuffer.wrap(Files.readAllBytes(cache));
        int dataLen = rec.getInt(0);
        int baseLen = rec.getShort(4);
        byte[] b = rec.array();
        assertThat(b[10 + baseLen]).isEqualTo((byte) 4);
        b[10 + baseLen] = 3; // format 3: before the content digest (EMAILID) was kept
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b, 10, baseLen + dataLen);
        rec.putInt(6, (int) crc.getValue());
        Files.write(cache, b);
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.envelope(1).orElseThrow().subject()).isEqualTo("old format");
            assertThat(inbox.structure(1).orElseThrow()).isEqualTo(s);
            assertThat(inbox.structure(1).orElseThrow().emailId()).isEqualTo(s.emailId()).isNotNull();
        }
    }

    @Test
    void aVerifiedCleanStopLetsTheNextStartSkipListingTheDirectories() throws IOException {
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            inbox.append(msg("one"));
            inbox.append(msg("two"), Flags.of(SystemFlag.SEEN), null);
        }
        Path index = inboxDir().resolve("mailkit-index");
        List<String> lines = Files.readAllLines(index);
        String[] c = lines.get(lines.size() - 1).split(" ");
        assertThat(c[0]).isEqualTo("C");
        assertThat(Long.parseLong(c[3])).as("new/ verified").isPositive();
        assertThat(Long.parseLong(c[4])).as("cur/ verified").isPositive();
        // pretend the directories were last changed an hour ago, and the index says so
        FileTime past = FileTime.from(Instant.now().minusSeconds(3600));
        long nanos = past.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        Files.setLastModifiedTime(inboxDir().resolve("new"), past);
        Files.setLastModifiedTime(inboxDir().resolve("cur"), past);
        lines.set(lines.size() - 1, "C " + c[1] + " " + c[2] + " " + nanos + " " + nanos);
        Files.write(index, lines);
        // a file slipped into new/ without changing its mtime is not looked for: proof that nothing was listed
        Files.writeString(inboxDir().resolve("new").resolve("1700000000.M1P1.sneaky"), "Subject: sneaky\n\nx\n");
        Files.setLastModifiedTime(inboxDir().resolve("new"), past);
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(2);
            assertThat(subjectOf(inbox, 1)).isEqualTo("one");
            assertThat(inbox.message(2).orElseThrow().flags()).isEqualTo(Flags.of(SystemFlag.SEEN));
            assertThat(inbox.content(2).orElseThrow().asString()).contains("Subject: two"); // found in cur/ at once
        }
        // any real change to the directory (its mtime moves) makes the next start list it
        Files.setLastModifiedTime(inboxDir().resolve("new"), FileTime.from(Instant.now()));
        try (MaildirMailStore store = open(); Mailbox inbox = store.account(ANN).open(MailboxName.INBOX)) {
            assertThat(inbox.status().messages()).isEqualTo(3);
        }
    }
}
