/**
 * mailkit's POP3 server: {@link dev.mailkit.pop3.Pop3Server} serves each user's INBOX from a
 * {@link dev.mailkit.store.MailStore}, with STLS and an implicit-TLS port.
 */
package dev.mailkit.pop3;
