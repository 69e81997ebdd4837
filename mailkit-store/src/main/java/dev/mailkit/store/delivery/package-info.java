/**
 * The delivery agent, {@link dev.mailkit.store.delivery.DeliveryAgent}: the SMTP receiver's sink that resolves each
 * recipient (users, aliases, plus-addressing, catch-alls) and files one durable copy per mailbox.
 */
package dev.mailkit.store.delivery;
