require "fileinto";
fileinto "a" true;
