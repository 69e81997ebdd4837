require ["body", "fileinto"];
if body :content "text/html" :contains "<b>deals</b>" { fileinto "Html"; }
if body :content "application/pdf" :contains "catalogue" { fileinto "Pdf"; }
if body :content "text" :matches "*Woche*" { fileinto "TextMatch"; }
