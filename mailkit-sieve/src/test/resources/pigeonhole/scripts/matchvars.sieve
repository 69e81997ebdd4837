require ["fileinto", "variables"];
if header :matches "subject" "[*] *" { fileinto "lists.${1}"; stop; }
if header :matches "from" "*<*@*>" { set "dom" "${3}"; fileinto "from.${dom}"; }
