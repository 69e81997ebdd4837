require ["imap4flags", "fileinto"];
setflag "\\Seen";
addflag ["\\Flagged", "urgent"];
removeflag "\\Seen";
if hasflag :contains "urg" { fileinto "HasUrgent"; }
if hasflag :count "ge" :comparator "i;ascii-numeric" "2" { addflag "two"; }
