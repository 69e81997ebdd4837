/** One class per POP3 command: arguments from the parser, execution against the session. Not API. */
package dev.mailkit.pop3.internal.command;
