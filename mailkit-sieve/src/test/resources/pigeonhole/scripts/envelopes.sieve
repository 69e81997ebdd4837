require ["envelope", "fileinto", "subaddress"];
if envelope :domain :is "from" "example.com" { fileinto "FromExampleCom"; }
if envelope :detail "to" "lists" { fileinto "Lists"; }
if envelope :user :is "to" "me" { fileinto "Mine"; }
if envelope :all :matches "to" "*+*@*" { fileinto "Detailed"; }
