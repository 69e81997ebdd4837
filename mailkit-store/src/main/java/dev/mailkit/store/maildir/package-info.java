/**
 * The durable, Dovecot-compatible Maildir store: {@link dev.mailkit.store.maildir.MaildirMailStore}. Everything else
 * in this package is its implementation (file names, mailkit's index journal, the structure cache, account files).
 */
package dev.mailkit.store.maildir;
