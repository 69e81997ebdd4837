require ["fileinto", "variables"];
if header :is "subject" "Grüße aus München" { fileinto "Decoded"; }
if address :all :is "from" "juergen@example.de" { fileinto "Juergen"; }
if header :matches "from" "*Müller*" { fileinto "Mueller"; }
