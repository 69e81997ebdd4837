require ["body", "fileinto"];
if body :contains "unsubscribe" { fileinto "Unsubscribe"; }
if body :text :contains "rabatte" { fileinto "Rabatte"; }
