require ["spamtestplus", "relational", "comparator-i;ascii-numeric", "fileinto"];
if spamtest :percent :value "ge" :comparator "i;ascii-numeric" "90" { fileinto "Junk"; }
if spamtest :percent :is "0" { fileinto "ZeroPercent"; }
