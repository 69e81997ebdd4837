require ["spamtest", "relational", "comparator-i;ascii-numeric", "fileinto"];
if spamtest :value "ge" :comparator "i;ascii-numeric" "8" { fileinto "Junk"; }
elsif spamtest :is "0" { fileinto "Untested"; }
elsif spamtest :value "lt" :comparator "i;ascii-numeric" "3" { fileinto "Ham"; }
