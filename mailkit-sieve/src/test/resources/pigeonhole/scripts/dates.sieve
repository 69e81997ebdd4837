require ["date", "relational", "fileinto"];
if date :is "date" "year" "2026" { fileinto "y2026"; }
if date :zone "+0100" :is "date" "hour" "00" { fileinto "hour-plus1"; }
if date :originalzone :is "date" "zone" "-0500" { fileinto "zone-minus5"; }
if date :is "date" "weekday" "5" { fileinto "friday"; }
if date :is "date" "date" "2026-12-04" { fileinto "utc-date"; }
if date :is "date" "julian" "61378" { fileinto "julian"; }
if date :matches "date" "iso8601" "2026-12-04T23:45:12*" { fileinto "iso"; }
if date :is "date" "std11" "Fri, 04 Dec 2026 23:45:12 +0000" { fileinto "std11"; }
if date :is "date" "time" "23:45:12" { fileinto "time"; }
if currentdate :value "ge" "year" "2020" { fileinto "now-after-2020"; }
