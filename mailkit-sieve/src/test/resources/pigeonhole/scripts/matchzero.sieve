require ["fileinto", "variables"];
if address :matches "from" "*@*" { fileinto "all-${0}"; }
