/**
 * The mailbox model: what the delivery agent files mail into and what IMAP and POP3 serve.
 *
 * <h2>Types</h2>
 * <ul>
 *   <li>{@link dev.mailkit.store.MailStore} (SPI): per-user {@link dev.mailkit.store.MailAccount accounts}, keyed
 *       by {@link dev.mailkit.store.AccountId}. Implementations: {@link dev.mailkit.store.memory.MemoryMailStore};
 *       {@link dev.mailkit.store.maildir.MaildirMailStore} (durable, Dovecot-compatible). Mail gets in through
 *       {@link dev.mailkit.store.delivery.DeliveryAgent} (the SMTP receiver's sink) or
 *       {@link dev.mailkit.store.mbox.MboxImporter}.</li>
 *   <li>{@link dev.mailkit.store.MailAccount}: the hierarchy of {@link dev.mailkit.store.MailboxName mailboxes}
 *       (delimiter {@code .}, INBOX always there), {@link dev.mailkit.store.MailboxInfo listing} with
 *       {@link dev.mailkit.store.SpecialUse special uses} and children, create/rename/delete with RFC 3501
 *       semantics, subscriptions, {@link dev.mailkit.store.Quota quota}.</li>
 *   <li>{@link dev.mailkit.store.Mailbox}: a shared handle: {@link dev.mailkit.store.MailboxStatus counters}
 *       (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, unseen ...), append, and per-UID lookups:
 *       {@link dev.mailkit.store.MessageInfo metadata}, content as a {@link dev.mailkit.core.MessageSource}, and
 *       the cached {@link dev.mailkit.store.mime.MessageStructure MIME structure}.</li>
 *   <li>{@link dev.mailkit.store.MailboxView}: one session's view: the message-sequence-number snapshot,
 *       {@code \Recent}, change notification, and the session's changes (store flags with CONDSTORE's
 *       UNCHANGEDSINCE, expunge, UID expunge, copy and move with UIDPLUS UID mappings).</li>
 *   <li>Values: {@link dev.mailkit.store.Flags} ({@link dev.mailkit.store.SystemFlag} + keywords),
 *       {@link dev.mailkit.store.UidSet}, {@link dev.mailkit.store.StoreResult},
 *       {@link dev.mailkit.store.CopyResult}, {@link dev.mailkit.store.Expunges},
 *       {@link dev.mailkit.store.MailboxChanges}; errors are {@link dev.mailkit.store.MailStoreException} with a
 *       {@link dev.mailkit.store.MailStoreException.Reason} for the protocol response code.</li>
 * </ul>
 *
 * <h2>How IMAP uses it</h2>
 * <pre>{@code
 * MailAccount account = store.account(user);                    // after LOGIN
 * Mailbox box = account.open(MailboxName.of(dev.mailkit.core.ModifiedUtf7.decode(arg)));
 * MailboxView view = box.openView(examine ? ViewMode.READ_ONLY : ViewMode.READ_WRITE);   // SELECT / EXAMINE
 * // * FLAGS box.keywords(), * n EXISTS view.messageCount(), * n RECENT view.recentCount(),
 * // [UNSEEN view.firstUnseen()], [UIDVALIDITY box.uidValidity()], [UIDNEXT view.uidNext()],
 * // [HIGHESTMODSEQ view.highestModSeq()], [PERMANENTFLAGS ... \* if box.canCreateKeywords()]
 * // FETCH: uid = view.uid(seq); box.message(uid), box.structure(uid), box.content(uid) (empty: expunged elsewhere)
 * // STORE: view.store(view.uids(a, b), FlagOperation.ADD, flags, unchangedSince)  -> FETCH responses, [MODIFIED]
 * // EXPUNGE: view.expunge() -> * n EXPUNGE for each of expunges.sequenceNumbers()
 * // COPY/MOVE: view.copy/move(uids, target) -> [COPYUID validity source target], then MOVE's expunges
 * // after every command: view.sync() (after FETCH, STORE, SEARCH: view.syncWithoutExpunges()), report MailboxChanges
 * // IDLE: view.setChangeListener(wakeSession) or view.awaitChanges(timeout); then view.sync() and report
 * }</pre>
 * APPEND to any mailbox is {@code account.open(name).append(source, flags, date)}; STATUS is
 * {@code open(name).status()}; LIST and LSUB match their patterns against {@code account.list()} and
 * {@code account.subscriptions()}.
 *
 * <h2>How POP3 uses it</h2>
 * <pre>{@code
 * MailboxView drop = account.open(MailboxName.INBOX).openView(ViewMode.EXCLUSIVE); // else -ERR [IN-USE]
 * // STAT/LIST: drop.messageCount(), box.message(drop.uid(n)).size(); UIDL: box.uidValidity() + "." + drop.uid(n)
 * // RETR/TOP: box.content(drop.uid(n))   (never syncs: messages delivered meanwhile stay invisible)
 * // QUIT: drop.store(deleted, ADD, \Deleted); drop.expunge(deleted); drop.close()
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * UIDs ascend strictly and are never reused under one UIDVALIDITY; every change takes the next MODSEQ; views see
 * changes in the order the mailbox applied them; everything is thread-safe; names that could leave the user's
 * directory are refused ({@link dev.mailkit.store.MailboxName}, {@link dev.mailkit.store.AccountId}). The contract
 * tests in this module's test jar ({@code MailStoreContractTest}) check every implementation against this.
 */
package dev.mailkit.store;
