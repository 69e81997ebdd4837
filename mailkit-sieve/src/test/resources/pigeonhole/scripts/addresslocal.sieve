require "fileinto";
if address :localpart :matches "from" "a*" { fileinto "A-senders"; }
if address :all :is "cc" "carol@example.com" { fileinto "Carol"; }
