require "fileinto";
fileinto :nosuchtag "a";
