require "fileinto";
if exists ["list-id", "list-unsubscribe"] { fileinto "Lists"; }
elsif exists "x-spam-flag" { fileinto "Junk"; }
else { keep; }
