require "fileinto";
fileinto "a" if true;
