/**
 * mailkit-web: the web inbox and Mailpit-compatible HTTP API over mailkit's mailbox stores.
 * {@link dev.mailkit.web.WebServer} is the server; {@link dev.mailkit.web.MailSender} is where it sends (the relay
 * queue or an SMTP server); {@link dev.mailkit.web.DeliveryTrace} is where it learns where mail went, with
 * {@link dev.mailkit.web.TraceRecorder} as the built-in recorder. Everything in {@code dev.mailkit.web.internal} is
 * implementation.
 */
package dev.mailkit.web;
