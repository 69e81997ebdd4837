/**
 * Content filtering through the scanners people already run, as Postfix does it: clients for Rspamd
 * ({@link dev.mailkit.scan.RspamdClient}), SpamAssassin's spamd ({@link dev.mailkit.scan.SpamdClient}), ClamAV's
 * clamd ({@link dev.mailkit.scan.ClamdClient}) and any milter ({@link dev.mailkit.scan.MilterClient}); the receiver
 * filter that runs them at the end of DATA ({@link dev.mailkit.scan.ScanFilter}); a quarantine
 * ({@link dev.mailkit.scan.Quarantine}, {@link dev.mailkit.scan.FileQuarantine}); Junk filing for the delivery agent
 * ({@link dev.mailkit.scan.JunkFolder}); and learning from what users do over IMAP
 * ({@link dev.mailkit.scan.ScannerLearning}). mailkit has no scanner and no rules of its own.
 */
package dev.mailkit.scan;
