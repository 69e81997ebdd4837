require ["fileinto", "reject"];
fileinto "Somewhere";
reject "no";
