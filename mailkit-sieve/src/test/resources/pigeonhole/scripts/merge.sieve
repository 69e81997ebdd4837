require ["fileinto", "imap4flags"];
fileinto "INBOX";
keep;
fileinto :flags "a" "Dup";
fileinto :flags "b" "Dup";
