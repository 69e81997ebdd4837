require ["mailbox", "fileinto"];
if mailboxexists "INBOX" { fileinto :create "Created.Sub"; }
if mailboxexists "NoSuchBox" { fileinto "Impossible"; }
