require ["body", "fileinto"];
if body :raw :contains "JVBERi0xLjQ" { fileinto "RawPdf"; }
if body :raw :contains "secret catalogue" { fileinto "Decoded"; }
