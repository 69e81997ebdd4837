require ["imap4flags", "variables", "fileinto"];
addflag "mine" ["$Label1", "$Label2"];
removeflag "mine" "$Label1";
if hasflag "mine" "$label2" { fileinto :flags "${mine}" "Labelled"; }
keep;
