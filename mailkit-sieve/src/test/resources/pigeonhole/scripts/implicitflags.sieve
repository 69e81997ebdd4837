require ["imap4flags", "fileinto", "copy"];
addflag "\\Seen";
fileinto :copy "Copy";
addflag "later";
