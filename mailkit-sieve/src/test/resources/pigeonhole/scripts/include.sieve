require ["include", "variables", "fileinto"];
global "target";
set "target" "Included";
include :personal "helper";
include :global "common";
include :once :personal "helper";
if string :is "${target}" "changed" { fileinto "GlobalChanged"; }
