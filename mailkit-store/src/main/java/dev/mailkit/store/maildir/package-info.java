/**
 * The durable, Dovecot-compatible Maildir store: {@link dev.mailkit.store.maildir.MaildirMailStore}. Everything else
 * in this package is its implementation (file names, mailkit's index journal, the structure cache, group commit of
 * directory fsyncs).
 */
package dev.mailkit.store.maildir;
