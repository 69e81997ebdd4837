/**
 * The search SPI: a full-text index IMAP SEARCH may use instead of reading messages ({@link
 * dev.mailkit.store.search.SearchIndex}).
 */
package dev.mailkit.store.search;
