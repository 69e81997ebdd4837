require "fileinto";
if address :domain :is "from" "example.de" { fileinto "German"; }
if address :all :contains ["to", "cc"] "team@" { fileinto "Team"; }
