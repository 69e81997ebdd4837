require "fileinto";
if allof (not exists "list-id", anyof (header :contains "subject" "report", header :is "x-priority" "1")) {
  fileinto "Work";
}
if not anyof (false, address :is "from" "nobody@nowhere") { fileinto "NotNobody"; }
