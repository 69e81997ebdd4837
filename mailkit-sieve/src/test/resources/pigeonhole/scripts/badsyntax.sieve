require "fileinto";
if header :is "x" "y" { fileinot "a"; }
foo;
