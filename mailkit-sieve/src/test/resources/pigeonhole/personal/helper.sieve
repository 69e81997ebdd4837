require ["variables", "include"];
global "target";
set "target" "changed";
