require ["relational", "comparator-i;ascii-numeric", "fileinto"];
if header :count "ge" :comparator "i;ascii-numeric" "received" "2" { fileinto "Hops"; }
if header :value "lt" :comparator "i;ascii-numeric" "x-priority" "4" { fileinto "Priority"; }
if address :count "eq" :comparator "i;ascii-numeric" ["to", "cc"] "4" { fileinto "FourRecipients"; }
