require ["fileinto", "variables"];
if header :matches "subject" "Hello ?orld*" { fileinto "q-${1}-${2}"; }
if header :matches "message-id" "<*-?@*>" { fileinto "id-${1}-${2}-${3}"; }
if header :matches "subject" "*\\**" { fileinto "Star"; }
