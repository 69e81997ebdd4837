/**
 * The SPIs between a receiver and what sends mail onwards: {@link dev.mailkit.core.outbound.OutboundQueue} (the
 * relay queue as the SMTP receiver sees it) and {@link dev.mailkit.core.outbound.MessageSigner} (DKIM as the relay
 * sees it). Neither module knows the other; both know these interfaces.
 */
package dev.mailkit.core.outbound;
