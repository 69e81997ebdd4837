require ["fileinto", "include"];
fileinto "FromGlobal";
return;
fileinto "NeverGlobal";
