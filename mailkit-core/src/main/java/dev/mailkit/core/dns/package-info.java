/**
 * The DNS SPI: {@link dev.mailkit.core.dns.DnsResolver} and the answers in mailkit's own types. The relay and the
 * sender-authentication filters ask through it; {@code mailkit-dns} implements it.
 */
package dev.mailkit.core.dns;
