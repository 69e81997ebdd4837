/**
 * The POP3 server's internals: the session loop ({@link dev.mailkit.pop3.internal.Pop3Session}), the command
 * parser ({@link dev.mailkit.pop3.internal.CommandParser}) and one small class per command
 * ({@code internal.command}), the maildrop snapshot ({@link dev.mailkit.pop3.internal.Maildrop}) and the streaming
 * byte-stuffing encoder ({@link dev.mailkit.pop3.internal.MultilineEncoder}). Not API: it may change in any release.
 */
package dev.mailkit.pop3.internal;
