require ["virustest", "fileinto", "relational", "comparator-i;ascii-numeric", "reject"];
if virustest :value "eq" :comparator "i;ascii-numeric" "5" { reject "infected"; }
elsif virustest :is "1" { fileinto "Clean"; }
elsif virustest :is "0" { fileinto "NotScanned"; }
